// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope events: the normalized event stream the analyzer sees, one
 * line per event.  The same capture read from trace.dat and from its
 * `trace-cmd report` text must print the same lines.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "parsers.h"

struct events_settings {
	bool	all;		/* also events allocscope does not use */
	bool	no_comm;	/* leave the task name out (sources truncate it differently) */
	bool	usec;		/* timestamps rounded to the nearest microsecond */
	unsigned int reader;	/* PRS_OPT_LIBTRACECMD or 0 (own streaming reader) */
	uint64_t limit;		/* stop after this many lines, 0 = all */
	int	threads;	/* --threads: 2 = decode ahead (0 = 1) */
};

static void events_usage(FILE *f)
{
	fprintf(f,
		"Usage: allocscope events [OPTIONS] TRACE\n"
		"\n"
		"Prints the normalized event stream, one event per line:\n"
		"  TS CPU PID TGID KIND NAME comm=COMM FIELD=VALUE...\n"
		"TS in seconds with nine decimals (the trace's clock); PID or TGID -1: the\n"
		"trace did not say; fields a trace did not carry are left out.\n"
		"\n"
		"  -a, --all        also events allocscope does not use (kind 'other')\n"
		"  -C, --no-comm    leave task names out\n"
		"  -u, --usec       timestamps rounded to the nearest microsecond\n"
		"  -n, --limit N    stop after N events (N >= 1; without it: every event)\n"
		"      --reader R   trace.dat reader: stream (default, bounded memory) or\n"
		"                   libtracecmd (the library's own, a cross-check; refused\n"
		"                   for text traces, which have one reader)\n"
		"      --threads N  1 (default): read on this thread; 2: decode on a second\n"
		"                   thread ahead of the printing\n"
		"  -h, --help       this text\n"
		"\n"
		"Exit status: 0 ok, 1 usage error, 2 unreadable or malformed input (the lines\n"
		"printed before are a prefix), 4 the file is cut short (every event before\n"
		"the cut printed).\n"
		"\n"
		"EXAMPLES\n"
		"  allocscope events trace.dat | head\n"
		"  diff <(allocscope events -uC trace.dat) <(trace-cmd report trace.dat > r.txt; allocscope events -uC r.txt)\n"
		"  cmp <(allocscope events -a trace.dat) <(allocscope events -a --reader libtracecmd trace.dat)\n");
}

static void put_u64(const char *key, uint64_t v)
{
	if (v != PRS_NO_VALUE)
		printf(" %s=%" PRIu64, key, v);
}

static void put_x64(const char *key, uint64_t v)
{
	if (v != PRS_NO_VALUE)
		printf(" %s=0x%" PRIx64, key, v);
}

static void put_i32(const char *key, int32_t v)
{
	if (v >= 0)
		printf(" %s=%d", key, v);
}

static void put_str(const char *key, const char *s)
{
	if (s && *s)
		printf(" %s=%s", key, s);
}

static void events_print(const struct prs_event *ev, const struct events_settings *set)
{
	/* rounded to the nearest µs, as the kernel (ns2usecs) and trace-cmd print them */
	uint64_t ts = set->usec ? (ev->ts + 500) / 1000 * 1000 : ev->ts;

	printf("%" PRIu64 ".%09" PRIu64 " %d %d %d %s %s", ts / 1000000000, ts % 1000000000,
	       ev->cpu, ev->pid, ev->tgid, prs_kind_name(ev->kind), ev->name ? ev->name : "?");
	if (!set->no_comm)
		printf(" comm=%s", ev->comm);

	switch (ev->kind) {
	case PRS_EV_FUNC_ENTRY:
	case PRS_EV_FUNC_EXIT:
	case PRS_EV_KPROBE:
	case PRS_EV_FUNC_CALL:
	case PRS_EV_KRETPROBE:
		put_str("func", ev->u.fn.func);
		put_str("caller", ev->u.fn.caller);
		put_u64("duration", ev->u.fn.duration);
		put_x64("retval", ev->u.fn.retval);
		put_x64("arg0", ev->u.fn.arg[0]);
		put_x64("arg1", ev->u.fn.arg[1]);
		put_x64("alloc_flags", ev->u.fn.alloc_flags);
		put_i32("depth", ev->u.fn.depth);
		break;
	case PRS_EV_PAGE_ALLOC:
	case PRS_EV_RECLAIM_BEGIN:
	case PRS_EV_MEMCG_RECLAIM_BEGIN:
	case PRS_EV_WAKEUP_KSWAPD:
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_TRY_COMPACT:
		put_x64("pfn", ev->u.mm.pfn);
		put_i32("order", ev->u.mm.order);
		put_i32("migratetype", ev->u.mm.migratetype);
		put_i32("nid", ev->u.mm.nid);
		put_i32("prio", ev->u.mm.prio);
		put_str("gfp", ev->u.mm.gfp_str);
		break;
	case PRS_EV_RECLAIM_END:
	case PRS_EV_MEMCG_RECLAIM_END:
		put_u64("nr_reclaimed", ev->u.reclaim.nr_reclaimed);
		break;
	case PRS_EV_KSWAPD_SLEEP:
		put_i32("nid", ev->u.kswapd.nid);
		break;
	case PRS_EV_COMPACT_BEGIN:
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_SUITABLE:
	case PRS_EV_COMPACT_DEFERRED:
	case PRS_EV_COMPACT_FINISHED:
		put_i32("sync", ev->u.compact.sync);
		put_i32("order", ev->u.compact.order);
		put_str("status", ev->u.compact.status_str);
		break;
	case PRS_EV_LRU_SHRINK:
		put_i32("nid", ev->u.lru.nid);
		put_i32("priority", ev->u.lru.priority);
		put_u64("nr_scanned", ev->u.lru.nr_scanned);
		put_u64("nr_reclaimed", ev->u.lru.nr_reclaimed);
		break;
	case PRS_EV_MARK_VICTIM:
		put_i32("victim", ev->u.victim.pid);
		break;
	case PRS_EV_RECLAIM_RETRY:
	case PRS_EV_COMPACT_RETRY:
		put_i32("order", ev->u.retry.order);
		put_i32("nid", ev->u.retry.nid);
		put_i32("loops", ev->u.retry.loops);
		put_i32("max", ev->u.retry.max);
		put_i32("verdict", ev->u.retry.verdict);
		put_i32("zone", ev->u.retry.zone);
		break;
	case PRS_EV_WRITEPAGE:
		put_x64("pfn", ev->u.wp.pfn);
		put_i32("file", ev->u.wp.file);
		break;
	case PRS_EV_THROTTLED:
	case PRS_EV_CONGESTION_WAIT:
		put_i32("nid", ev->u.throttle.nid);
		put_i32("usec_timeout", ev->u.throttle.usec_timeout);
		put_i32("usec_delayed", ev->u.throttle.usec_delayed);
		break;
	case PRS_EV_SCHED_SWITCH:
		printf(" prev_pid=%d prev_state=%c next_pid=%d", ev->u.sw.prev_pid,
		       ev->u.sw.prev_state, ev->u.sw.next_pid);
		if (!set->no_comm)
			printf(" prev_comm=%s next_comm=%s", ev->u.sw.prev_comm, ev->u.sw.next_comm);
		break;
	case PRS_EV_PRINT:
		printf(" text=%.*s", (int)ev->u.print.len, ev->u.print.text);
		break;
	case PRS_EV_LOST:
		printf(" count=%" PRIu64, ev->u.lost.count);
		break;
	case PRS_EV_FRAME:
		printf(" start=%" PRIu64 ".%09" PRIu64 " dur_ns=%" PRIu64 " token=%" PRId64
		       " display_token=%" PRId64 " jank_type=0x%x present_type=%d on_time=%d layer=%s",
		       ev->u.frame.start_ts / 1000000000u, ev->u.frame.start_ts % 1000000000u,
		       ev->ts - ev->u.frame.start_ts, ev->u.frame.token, ev->u.frame.display_token,
		       ev->u.frame.jank_type, ev->u.frame.present_type, ev->u.frame.on_time,
		       ev->u.frame.layer[0] ? ev->u.frame.layer : "-");
		break;
	default:
		break;
	}
	putchar('\n');
}

int cmd_events(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "no-comm", no_argument, NULL, 'C' },
		{ "usec", no_argument, NULL, 'u' },
		{ "limit", required_argument, NULL, 'n' },
		{ "reader", required_argument, NULL, 'R' },
		{ "threads", required_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct events_settings set = { 0 };
	struct prs_reader *r;
	struct prs_event ev;
	uint64_t printed = 0;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":aCun:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			set.all = true;
			break;
		case 'C':
			set.no_comm = true;
			break;
		case 'u':
			set.usec = true;
			break;
		case 'n':
			if (cli_parse_u64("--limit", optarg, &set.limit))
				return EXIT_USAGE;
			if (!set.limit) {
				cli_usage_error("events", "--limit: at least 1 (leave it out to print every event)");
				return EXIT_USAGE;
			}
			break;
		case 'R':
			if (!strcmp(optarg, "libtracecmd")) {
				set.reader = PRS_OPT_LIBTRACECMD;
			} else if (!strcmp(optarg, "stream")) {
				set.reader = 0;
			} else {
				cli_error("events: --reader: \"%s\" is neither \"stream\" nor \"libtracecmd\"",
					  optarg);
				return EXIT_USAGE;
			}
			break;
		case 'J':
			if (cli_parse_threads(optarg, &set.threads))
				return EXIT_USAGE;
			break;
		case 'h':
			events_usage(stdout);
			return EXIT_OK;
		default:
			cli_getopt_error("events", c, argv);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_usage_error("events", "events: exactly one trace file expected");
		return EXIT_USAGE;
	}

	ret = prs_open(argv[optind], (set.all ? PRS_OPT_OTHER : 0) | set.reader |
		       cli_threads_flag(set.threads), &r);
	if (ret < 0) {
		cli_open_error(argv[optind], r, ret);
		prs_close(r);
		return EXIT_INPUT;
	}
	if (set.reader == PRS_OPT_LIBTRACECMD && prs_format(r) != PRS_FMT_TRACE_DAT) {
		cli_usage_error("events", "--reader libtracecmd: %s is %s, not a trace.dat (text has one reader)",
				argv[optind], prs_format_name(prs_format(r)));
		prs_close(r);
		return EXIT_USAGE;
	}
	while (ret == 0 && (!set.limit || printed < set.limit)) {
		ret = prs_next(r, &ev);
		if (ret <= 0)
			break;
		events_print(&ev, &set);
		printed++;
		ret = 0;
	}
	fflush(stdout);
	if (ret == -PRS_ECUT) {
		/* every event before the cut was printed */
		cli_cut_note(r);
		prs_close(r);
		return EXIT_TRUNCATED;
	}
	if (ret < 0) {
		/* the lines above are a prefix, not the trace: say so */
		cli_error("%s (output above is incomplete)", r ? prs_errmsg(r) : prs_strerror(ret));
		prs_close(r);
		return EXIT_INPUT;
	}
	prs_close(r);
	return EXIT_OK;
}
