// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope record: options, checks before tracefs is touched (command,
 * root, output), the probe and the plan, then cap_record() (capture/
 * cap-record.c: the recording loop, tracefs restored on every exit path),
 * and the messages and summary it reports.
 */
/* paths are cut to their buffer on purpose */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"


struct record_settings {
	const char	*output;
	const char	*tracefs;	/* --tracefs DIR: another tracefs tree (tests) */
	const char	*proc;		/* --proc DIR */
	enum cap_mode	mode;
	uint64_t	duration_ns;	/* 0 = until the command ends or a signal */
	uint64_t	buffer_kb;	/* 0 = from the measured allocation rate */
	uint64_t	zlevel;
	bool		dry_run;
	bool		force;
	bool		text;
	bool		quiet;
	bool		frames;		/* --frames: the apps' trace_marker writes too */
	bool		perfetto;	/* --perfetto-config: write a Perfetto config, record nothing */
	const char	*kernel;	/* --kernel: the target's release (--perfetto-config -m graph) */
	const char	*app;		/* --app: its atrace slices (--perfetto-config) */
	uint64_t	alloc_rate;	/* --alloc-rate (--perfetto-config) */
	bool		mode_given;
	const char	*fl_probe;	/* --freelist-probe entry|return, NULL: the plan's */
	char		**cmd;
};

static void record_usage(FILE *f)
{
	fprintf(f,
		"Usage: allocscope record [OPTIONS] [-- COMMAND [ARGS...]]\n"
		"\n"
		"Probes tracefs, records page-allocator events in the cheapest exact mode the\n"
		"kernel allows into its own tracefs instance, writes ground-truth snapshots\n"
		"(vmstat, kswapd CPU, meminfo, watermarks) into the trace, and restores\n"
		"tracefs on every exit path.  Records for -d SECONDS, until COMMAND exits,\n"
		"or until SIGINT/SIGTERM.  Needs root.\n"
		"\n"
		"  -o, --output FILE     output (default trace.dat, or trace.txt with --text)\n"
		"  -m, --mode MODE       freelist, graph, retprobe, events or auto (default auto:\n"
		"                        the first the kernel allows, in that order; freelist\n"
		"                        first where BTF checks alloc_flags, else after graph);\n"
		"                        freelist: one probe on get_page_from_freelist\n"
		"                        (alloc_flags) and mm_page_alloc, exact, one probe where\n"
		"                        retprobe has three;\n"
		"                        cross: graph, retprobe and freelist at once, for\n"
		"                        'analyze -m graph|retprobe|freelist' of one run\n"
		"  -d, --duration TIME   record for TIME (10, 2.5s, 500ms)\n"
		"  -b, --buffer-kb KB    ring buffer per CPU (default: from the allocation rate)\n"
		"      --freelist-probe entry|return\n"
		"                        freelist's probe: at the entry (the default: times each\n"
		"                        whole allocation, costs less) or at the return (alloc_flags\n"
		"                        and the result in one event; kernels 6.9+; cross's default)\n"
		"  -t, --text            write ftrace text (trace_pipe) instead of trace.dat\n"
		"  -z, --zstd-level N    zstd level of trace.dat sections, 0 = uncompressed (default 3)\n"
		"  -f, --force           overwrite FILE\n"
		"  -n, --dry-run         print the plan (mode, functions, events, buffer) and exit\n"
		"  -q, --quiet           no summary\n"
		"      --frames          also record the apps' trace_marker writes (atrace: the\n"
		"                        frames of 'stalls --frames'): copied into our instance\n"
		"                        (copy_trace_marker, 6.17+), else recorded at the top level\n"
		"      --tracefs DIR     use DIR as tracefs (default: the mounted one)\n"
		"      --proc DIR        use DIR as /proc\n"
		"  -h, --help            this text\n"
		"\n"
		"  --perfetto-config     record nothing: write a Perfetto TraceConfig (text proto)\n"
		"                        for the mode (-m events, the default, or graph), -d\n"
		"                        (default 10s) and -b to -o FILE (default stdout), for\n"
		"                        'adb shell perfetto -c - --txt -o FILE.pftrace'; no root\n"
		"      --kernel RELEASE  the target's kernel (adb shell uname -r): -m graph needs\n"
		"                        it for the alloc entry's name\n"
		"      --app NAME        also the atrace slices of app NAME (atrace_apps)\n"
		"      --alloc-rate N    expected page allocations/s, for the buffer sizes\n"
		"                        (default 100000)\n"
		"\n"
		"Exit status: 0 recorded (also when COMMAND failed, with a warning), 1 error;\n"
		"tracefs is left as it was found in both cases.\n"
		"\n"
		"EXAMPLES\n"
		"  allocscope record --dry-run\n"
		"  allocscope record -m events -d 10 -o base.dat\n"
		"  allocscope record -m freelist -o run.dat -- ./memhog -m 512\n"
		"  allocscope record -o run.dat -- ./memhog -m 512\n"
		"  allocscope record --text -o run.txt -d 30\n"
		"  allocscope record --frames -m events -o jank.dat -- ./app\n"
		"  allocscope record --perfetto-config -d 20s -o alloc.pbtxt\n"
		"  adb shell perfetto -c - --txt -o /data/misc/perfetto-traces/a.pftrace < alloc.pbtxt\n");
}

static int parse_args(int argc, char **argv, struct record_settings *st)
{
	enum { OPT_TRACEFS = 256, OPT_PROC, OPT_FRAMES, OPT_PERFETTO, OPT_KERNEL, OPT_APP,
	       OPT_ALLOC_RATE, OPT_FL_PROBE };
	static const struct option longopts[] = {
		{ "output",	required_argument,	NULL, 'o' },
		{ "mode",	required_argument,	NULL, 'm' },
		{ "duration",	required_argument,	NULL, 'd' },
		{ "buffer-kb",	required_argument,	NULL, 'b' },
		{ "text",	no_argument,		NULL, 't' },
		{ "zstd-level",	required_argument,	NULL, 'z' },
		{ "force",	no_argument,		NULL, 'f' },
		{ "dry-run",	no_argument,		NULL, 'n' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "tracefs",	required_argument,	NULL, OPT_TRACEFS },
		{ "proc",	required_argument,	NULL, OPT_PROC },
		{ "frames",	no_argument,		NULL, OPT_FRAMES },
		{ "perfetto-config", no_argument,	NULL, OPT_PERFETTO },
		{ "kernel",	required_argument,	NULL, OPT_KERNEL },
		{ "app",	required_argument,	NULL, OPT_APP },
		{ "alloc-rate",	required_argument,	NULL, OPT_ALLOC_RATE },
		{ "freelist-probe", required_argument,	NULL, OPT_FL_PROBE },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	st->zlevel = 3;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:m:d:b:tz:fnqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': st->output = optarg; break;
		case 'm':
			st->mode_given = true;
			if (cap_mode_parse(optarg, &st->mode)) {
				cli_error("--mode: graph, freelist, retprobe, events, auto or cross, not '%s'",
					  optarg);
				return -1;
			}
			break;
		case 'd':
			if (cli_parse_duration_ns("--duration", optarg, &st->duration_ns))
				return -1;
			if (!st->duration_ns) {
				cli_error("--duration: must be more than 0");
				return -1;
			}
			break;
		case 'b':
			if (cli_parse_u64("--buffer-kb", optarg, &st->buffer_kb))
				return -1;
			if (st->buffer_kb < 64 || st->buffer_kb > 4u << 20) {
				cli_error("--buffer-kb: between 64 and 4194304 KB");
				return -1;
			}
			break;
		case 't': st->text = true; break;
		case 'z':
			if (cli_parse_u64("--zstd-level", optarg, &st->zlevel))
				return -1;
			if (st->zlevel > 19) {
				cli_error("--zstd-level: 0 to 19");
				return -1;
			}
			break;
		case 'f': st->force = true; break;
		case 'n': st->dry_run = true; break;
		case 'q': st->quiet = true; break;
		case OPT_TRACEFS: st->tracefs = optarg; break;
		case OPT_PROC: st->proc = optarg; break;
		case OPT_FRAMES: st->frames = true; break;
		case OPT_PERFETTO: st->perfetto = true; break;
		case OPT_KERNEL: st->kernel = optarg; break;
		case OPT_APP:
			if (!*optarg || strpbrk(optarg, "\"\\\n")) {
				cli_error("--app: an app name, without quotes or backslashes: '%s'", optarg);
				return -1;
			}
			st->app = optarg;
			break;
		case OPT_ALLOC_RATE:
			if (cli_parse_u64("--alloc-rate", optarg, &st->alloc_rate))
				return -1;
			if (!st->alloc_rate || st->alloc_rate > 100000000) {
				cli_error("--alloc-rate: 1 to 100000000 page allocations/s");
				return -1;
			}
			break;
		case OPT_FL_PROBE:
			if (strcmp(optarg, "entry") && strcmp(optarg, "return")) {
				cli_error("--freelist-probe: entry or return, not '%s'", optarg);
				return -1;
			}
			st->fl_probe = optarg;
			break;
		case 'h':
			record_usage(stdout);
			exit(EXIT_OK);
		default:
			cli_getopt_error("record", c, argv);
			return -1;
		}
	}
	if (optind < argc)
		st->cmd = argv + optind;
	if (st->perfetto && (st->cmd || st->text || st->dry_run || st->frames || st->tracefs ||
			     st->proc || st->zlevel != 3)) {
		cli_error("--perfetto-config writes a config: it takes -m, -d, -b, -o, -f, --kernel, "
			  "--app and --alloc-rate, no COMMAND, --text, -z, -n, --frames, --tracefs or "
			  "--proc (the config records the frames anyway)");
		return -1;
	}
	if (!st->perfetto && (st->kernel || st->app || st->alloc_rate)) {
		cli_error("--kernel, --app and --alloc-rate go with --perfetto-config");
		return -1;
	}
	if (st->text && st->zlevel != 3) {
		cli_error("--zstd-level applies to trace.dat, not --text (compress the text afterwards)");
		return -1;
	}
	if (!st->output)
		st->output = st->perfetto ? "-" : st->text ? "trace.txt" : "trace.dat";
	return 0;
}

/* --perfetto-config: the config to -o FILE ("-": stdout), written whole or not at all. */
static int record_perfetto(const struct record_settings *st)
{
	struct cap_perfetto_opts po = {
		.mode = st->mode,
		.duration_ms = (st->duration_ns + 999999) / 1000000,
		.buffer_kb = (unsigned long)st->buffer_kb,
		.alloc_rate = (unsigned long)st->alloc_rate,
		.kernel = st->kernel,
		.app = st->app,
		.version = ALLOCSCOPE_VERSION,
	};
	struct cli_out out = { 0 };
	char err[512];
	int ret;

	if (cli_out_open(&out, "record", "-o", st->output, st->force, "-f"))
		return EXIT_USAGE;
	ret = cap_perfetto_config(&po, out.f, err, sizeof(err));
	if (ret == -CAP_EMODE) {
		cli_out_abort(&out);
		cli_error("record: --perfetto-config: %s", err);
		return 1;
	}
	if (ret < 0 || fflush(out.f)) {
		cli_out_abort(&out);
		cli_error("record: writing %s: %s", st->output, strerror(errno));
		return 1;
	}
	return cli_out_commit(&out) ? 1 : EXIT_OK;
}

/* Resolve COMMAND the way execvp() will, so that a typo fails before tracefs is touched. */
static bool command_exists(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(cmd, '/'))
		return access(cmd, X_OK) == 0;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? path : ".", cmd);
		if (access(buf, X_OK) == 0)
			return true;
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

/* capture's messages: an error as "record: ...", the child's exec failure as before */
static void record_report(void *ctx, enum cap_record_what what, int code, const char *msg)
{
	(void)ctx;
	(void)code;
	if (what == CAP_REC_ERROR)
		cli_error("record: %s", msg);
	else if (what == CAP_REC_EXEC_FAILED)
		fprintf(stderr, "allocscope: record: %s\n", msg);
}

static void print_summary(const struct record_settings *st, const struct cap_plan *plan,
			  const struct cap_record_result *rs, int out_fd)
{
	off_t size = lseek(out_fd, 0, SEEK_END);
	uint64_t lost = 0;

	fprintf(stderr, "allocscope: recorded %.1f s in mode %s: %" PRIu64 " %s; wrote %s "
		"(%.1f MB%s)\n", rs->seconds, cap_mode_name(plan->mode),
		rs->events, st->text ? "lines" : "events", st->output,
		size > 0 ? size / 1e6 : 0.0, st->text ? "" : ", trace.dat v7 zstd");
	for (int cpu = 0; rs->cpustat && cpu < rs->nr_cpus; cpu++) {
		const struct cap_cpustat *c = &rs->cpustat[cpu];
		uint64_t l = c->overrun + c->dropped;

		lost += l;
		if (l)
			fprintf(stderr, "allocscope: cpu%d lost %" PRIu64 " events (overrun %" PRIu64
				", dropped %" PRIu64 ")\n", cpu, l, c->overrun, c->dropped);
	}
	if (lost || rs->missed_pages)
		fprintf(stderr, "allocscope: warning: events were lost; enlarge the buffer "
			"(now -b %lu KB per CPU)\n", plan->buffer_kb);
	else
		fprintf(stderr, "allocscope: no events lost\n");
}

int cmd_record(int argc, char **argv)
{
	struct record_settings st = { 0 };
	struct cap_record_result rs = { 0 };
	struct cap_record_opts ro = { 0 };
	struct cap_probe probe;
	struct cap_plan plan;
	int out_fd, ret;
	struct cap_rates est = { 0, 0 };

	if (parse_args(argc, argv, &st))
		return EXIT_USAGE;
	if (st.perfetto)
		return record_perfetto(&st);
	if (st.cmd && st.duration_ns) {
		cli_error("record: give -d or a COMMAND, not both");
		return EXIT_USAGE;
	}
	if (st.cmd && !command_exists(st.cmd[0])) {
		cli_error("record: command not found: %s", st.cmd[0]);
		return 1;
	}
	if (!st.dry_run && geteuid() != 0 && !st.tracefs) {
		cli_error("record: must run as root (tracefs setup needs it)");
		return 1;
	}

	ret = cap_probe_run(st.tracefs, st.proc, &probe);
	if (ret) {
		cli_error("record: %s", cap_strerror(ret));
		return 1;
	}
	if (!st.buffer_kb && !st.tracefs)
		cap_estimate_rates(probe.proc_dir, 200, &est);
	ret = cap_plan_make(&probe, st.mode, st.text, (unsigned long)st.buffer_kb,
			    st.buffer_kb || st.tracefs ? NULL : &est, &plan);
	if (ret) {
		cli_error("record: mode %s is not possible on this kernel (%s); "
			  "'allocscope record -n' shows what is", cap_mode_name(st.mode), plan.why);
		return 1;
	}
	if (st.frames)
		cap_plan_frames(&probe, &plan);
	if (st.fl_probe && !plan.freelist) {
		cli_error("record: --freelist-probe: mode %s records no freelist probe",
			  cap_mode_name(plan.mode));
		return EXIT_USAGE;
	}
	if (st.fl_probe && !strcmp(st.fl_probe, "return") && !probe.has_ret_args) {
		cli_error("record: --freelist-probe return: this kernel's return probes do not fetch entry "
			  "arguments (6.9+; tracefs README)");
		return 1;
	}
	if (st.fl_probe)
		plan.fl_return = !strcmp(st.fl_probe, "return");
	if (st.dry_run) {
		cap_plan_print(&probe, &plan, stdout);
		return EXIT_OK;
	}

	/* the output must be writable before tracefs is touched */
	out_fd = open(st.output, O_RDWR | O_CREAT | O_CLOEXEC | (st.force ? O_TRUNC : O_EXCL), 0644);
	if (out_fd < 0) {
		if (errno == EEXIST)
			cli_error("record: %s exists (use -f to overwrite)", st.output);
		else
			cli_error("record: cannot write %s: %s", st.output, strerror(errno));
		return 1;
	}

	ro.out_fd = out_fd;
	ro.output = st.output;
	ro.text = st.text;
	ro.zlevel = (int)st.zlevel;
	ro.duration_ns = st.duration_ns;
	ro.cmd = st.cmd;
	ro.count_events = !st.quiet;
	ret = cap_record(&probe, &plan, &ro, record_report, NULL, &rs);
	if (!ret) {
		int cs = rs.child_status;

		if (!st.quiet)
			print_summary(&st, &plan, &rs, out_fd);
		if (rs.child_ran && (!WIFEXITED(cs) || WEXITSTATUS(cs))) {
			if (WIFEXITED(cs))
				fprintf(stderr, "allocscope: warning: %s exited with status %d\n",
					st.cmd[0], WEXITSTATUS(cs));
			else if (WIFSIGNALED(cs))
				fprintf(stderr, "allocscope: warning: %s killed by signal %d\n",
					st.cmd[0], WTERMSIG(cs));
		}
		if (rs.stop_signal && !st.quiet)
			fprintf(stderr, "allocscope: stopped by signal %d\n", rs.stop_signal);
	}
	close(out_fd);
	if (ret)
		unlink(st.output);
	cap_record_result_free(&rs);
	return ret ? 1 : EXIT_OK;
}
