/* SPDX-License-Identifier: GPL-2.0-only */
/* The allocscope program: subcommands.  Only the CLI prints or exits. */
#ifndef ALLOCSCOPE_CLI_H
#define ALLOCSCOPE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"	/* struct rpt_content */

/* Exit statuses (documented in docs/man/allocscope.1). */
enum {
	EXIT_OK		= 0,
	EXIT_USAGE	= 1,	/* bad options */
	EXIT_INPUT	= 2,	/* unreadable or malformed input */
	EXIT_GATE	= 3,	/* compare: the KPI gate failed */
	EXIT_TRUNCATED	= 4,	/* analyzed, but the input was cut short */
};

struct cli_command {
	const char	*name;
	int		(*fn)(int argc, char **argv);	/* argv[0] is the subcommand */
	const char	*summary;
};

int cmd_info(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_stalls(int argc, char **argv);

/* cli/util.c */
struct anl_ctx;
struct prs_reader;
/* @threads: 2 = decode ahead on a second thread (PRS_OPT_AHEAD), else one thread */
int  cli_feed_trace(const char *path, struct anl_ctx *a, struct prs_reader **rp, const bool *stop,
		    int threads);
/* cli/feed.c (the analysis side; the static recorder links util.c alone) */
struct anl_model;
int  cli_parse_kernel(const char *s, const char **out);	/* --kernel RELEASE */
int  cli_parse_frame_budget(const char *s, uint64_t *out);	/* --frame-budget MS */
/* anl_finish(), the --kernel and forced mode (-m) checks: 0, or the exit status after saying why */
int  cli_finish_trace(const char *path, struct anl_ctx *a, const char *kernel,
		      const struct anl_model **model);
void cli_cut_note(const struct prs_reader *r);	/* "FILE: line N: ...: the events before it were read" */
void cli_open_error(const char *path, const struct prs_reader *r, int ret);	/* prs_open() failed */
int  cli_parse_threads(const char *s, int *out);	/* --threads N: 1 or 2 */
unsigned int cli_threads_flag(int threads);	/* PRS_OPT_AHEAD for --threads 2, else 0 */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *cli_count(char *buf, size_t len, uint64_t n);	/* "265,270" */
int  cli_parse_u64(const char *opt, const char *s, uint64_t *out);
int  cli_parse_duration_ns(const char *opt, const char *s, uint64_t *out);	/* "10ms", "2.5s", "500us", "100ns" */
int  cli_not_an_input(const char *opt, const char *out, const char *const *inputs, size_t n);
extern const char *cli_prog;

/* cli/identity.c: which capture a file is (compare and merge refuse one twice) */
struct cli_file_id {
	uint64_t		dev, ino;
	struct rpt_content	content;	/* size + XXH64 of the bytes, when asked */
	bool			file_known;	/* dev, ino (not for "-") */
};
/* @content: also hash the file (a regular file).  0, or -1 after saying why. */
int  cli_file_id(const char *path, struct cli_file_id *id, bool content);
bool cli_same_file(const struct cli_file_id *a, const struct cli_file_id *b);
bool cli_same_content(const struct rpt_content *a, const struct rpt_content *b);
/* One capture behind an input: a trace, or one named by a (merged) summary. */
struct cli_capture {
	const char		*input;		/* the file given */
	struct rpt_content	content;
	uint64_t		dev, ino;	/* of the trace file, where it can be found */
	bool			file_known;
};
void cli_capture_of_trace(struct cli_capture *cap, const char *input, const struct cli_file_id *file);
/* @trace: the path the summary names, looked up now (it need not outlive the call) */
void cli_capture_of_summary(struct cli_capture *cap, const char *input, const char *trace,
			    const struct rpt_content *content);
/*
 * Two inputs that are one file or one content, or two captures of different
 * inputs that are one capture: -1 after one line naming both, else 0.
 */
int  cli_refuse_duplicates(const char *const *inputs, const struct cli_file_id *ids, size_t n,
			   const struct cli_capture *caps, size_t ncaps);
/* usage errors: one line ending in "(try 'allocscope CMD --help')" */
void cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_getopt_error(const char *cmd, int c, char **argv);	/* getopt_long's '?' or ':' */

/*
 * An output file written to a temporary file beside it and renamed over it
 * only by cli_out_commit(); cli_out_abort() (and SIGINT/SIGTERM/SIGHUP)
 * removes the temporary file.  "-" is stdout; a device or FIFO is written
 * directly.  An existing regular file is replaced only with @overwrite;
 * otherwise a usage error names @force_opt.
 */
struct cli_out {
	FILE		*f;
	const char	*path;
	const char	*opt;
	char		*tmp;
	bool		overwrite;
};
int  cli_out_open(struct cli_out *o, const char *cmd, const char *opt, const char *path,
		  bool overwrite, const char *force_opt);	/* 0, or -1: a usage error printed */
int  cli_out_commit(struct cli_out *o);	/* 0, or -1 after saying why (nothing left behind) */
void cli_out_abort(struct cli_out *o);

#ifndef ALLOCSCOPE_VERSION
#define ALLOCSCOPE_VERSION "0.1"
#endif
/* --color[=WHEN] / --no-color of the text outputs */
enum cli_color { CLI_COLOR_AUTO = 0, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };
int  cli_parse_color(const char *s, enum cli_color *out);	/* NULL = always */
bool cli_color_on(enum cli_color c);

#endif /* ALLOCSCOPE_CLI_H */
