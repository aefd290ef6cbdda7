// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope: where page allocations leave the fast path, and what the
 * slow path costs.  One binary, one table of subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"


static const struct cli_command commands[] = {
	{ "info",	cmd_info,	"what a trace holds: format, kernel, CPUs, window, events, capture mode" },
	{ "events",	cmd_events,	"the normalized event stream, one event per line" },
	{ "record",	cmd_record,	"record a trace on this machine (root): probe, set up, restore" },
	{ "analyze",	cmd_analyze,	"fast/slow path of every allocation, stage latencies, KPIs, vmstat check" },
	{ "compare",	cmd_compare,	"baseline vs candidate captures: R, K, confidence, the KPI gate's verdict" },
	{ "stalls",	cmd_stalls,	"the individual slow allocations, longest first; --frames: late frames and their stalls" },
	{ "merge",	cmd_merge,	"combine analyze --json summaries of many captures into one" },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: allocscope COMMAND [OPTIONS] ...\n"
		"\n"
		"Reconstructs Linux page allocations from kernel traces into fast and slow\n"
		"paths with per-stage latencies, and reports the slow-path / kswapd KPIs.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Inputs (detected by content): trace-cmd trace.dat (v6, v7, zstd), ftrace\n"
		"text (tracefs trace/trace_pipe, trace-cmd report, function_graph), perf\n"
		"script text; any text may be zstd-compressed; Perfetto traces (also .gz, and\n"
		"inside a bugreport .zip).\n"
		"\n"
		"Exit status: 0 ok, 1 usage error, 2 unreadable or malformed input, 3 KPI gate\n"
		"failed, 4 input cut short (analyzed up to the cut, the report says where).\n"
		"'allocscope COMMAND --help' describes a command; man allocscope-COMMAND.\n"
		"\n"
		"EXAMPLES\n"
		"  allocscope info trace.dat\n"
		"  allocscope analyze trace.dat\n");
}

int main(int argc, char **argv)
{
	const char *name;

	if (argc < 2) {
		cli_error("a COMMAND is needed: info, events, record, analyze, compare, stalls, merge "
			  "(see 'allocscope --help')");
		return EXIT_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
		printf("allocscope %s\n", ALLOCSCOPE_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("unknown command '%s' (see 'allocscope --help')", name);
	return EXIT_USAGE;
}
