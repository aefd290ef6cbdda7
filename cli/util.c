// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "parsers.h"

const char *cli_prog = "allocscope";

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * An output file must not be one of the inputs, by any name (a link, a
 * "./" path: the same device and inode).  0, or -1 after saying which.
 * "-" (stdout) and a file not there yet are always fine.
 */
int cli_not_an_input(const char *opt, const char *out, const char *const *inputs, size_t n)
{
	struct stat o, st;

	if (!out || !strcmp(out, "-") || stat(out, &o))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (inputs[i] && !stat(inputs[i], &st) && st.st_dev == o.st_dev && st.st_ino == o.st_ino) {
			cli_error("%s %s is the input %s: refusing to overwrite an input", opt, out, inputs[i]);
			return -1;
		}
	}
	return 0;
}

int cli_parse_u64(const char *opt, const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (!s || !*s || *s == '-')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		goto bad;
	*out = v;
	return 0;
bad:
	cli_error("%s: not a non-negative integer: '%s'", opt, s ? s : "");
	return -1;
}

int cli_parse_threads(const char *s, int *out)
{
	if (!s || (strcmp(s, "1") && strcmp(s, "2"))) {
		cli_error("--threads: 1 (read and analyze on one thread) or 2 (decode ahead on a "
			  "second), not '%s'", s ? s : "");
		return -1;
	}
	*out = s[0] - '0';
	return 0;
}

unsigned int cli_threads_flag(int threads)
{
	return threads > 1 ? PRS_OPT_AHEAD : 0;
}

int cli_parse_duration_ns(const char *opt, const char *s, uint64_t *out)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1e9 },
	};
	double v;
	char *end;

	errno = 0;
	if (!s || !*s)
		goto bad;
	v = strtod(s, &end);
	if (errno || end == s || !(v >= 0) || isinf(v))
		goto bad;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double ns = v * units[i].ns;

			if (ns > 1.8e19)
				goto bad;
			*out = (uint64_t)(ns + 0.5);
			return 0;
		}
	}
bad:
	cli_error("%s: not a duration (e.g. 500us, 10ms, 2.5s): '%s'", opt, s ? s : "");
	return -1;
}


int cli_parse_color(const char *s, enum cli_color *out)
{
	if (!s || !strcmp(s, "always")) {
		*out = CLI_COLOR_ALWAYS;
	} else if (!strcmp(s, "never")) {
		*out = CLI_COLOR_NEVER;
	} else if (!strcmp(s, "auto")) {
		*out = CLI_COLOR_AUTO;
	} else {
		cli_error("--color: 'auto', 'always' or 'never', not '%s'", s);
		return -1;
	}
	return 0;
}

/* auto: stdout is a terminal that is not "dumb", and NO_COLOR (no-color.org) is unset */
bool cli_color_on(enum cli_color c)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	if (c != CLI_COLOR_AUTO)
		return c == CLI_COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && !(no && *no) && !(term && !strcmp(term, "dumb"));
}

/*
 * A usage error: one line naming what is wrong and where the help is, not
 * the whole help text (which buries the line that matters).
 */
void cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s %s --help')\n", cli_prog, cmd);
}

/*
 * getopt_long() returned '?' or ':' (the option string starts with ':' and
 * opterr is 0, so getopt itself printed nothing): one line saying which.
 */
void cli_getopt_error(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		cli_usage_error(cmd, "%s: %s needs a value", cmd, arg);
	else if (optopt && strncmp(arg, "--", 2))
		cli_usage_error(cmd, "%s: unknown option '-%c'", cmd, optopt);
	else
		cli_usage_error(cmd, "%s: unknown option '%s'", cmd, arg);
}

/*
 * Output files: written to a temporary file beside the target (same
 * directory, so that rename() is atomic; O_EXCL, a unique name) and renamed
 * over it only once complete, so that a failed or interrupted run never
 * leaves an empty, partial or destroyed output behind.  Temporary files
 * still open are removed on SIGINT, SIGTERM and SIGHUP.
 */
#define CLI_OUT_MAX	8

static char *volatile out_tmp[CLI_OUT_MAX];	/* read by the signal handler */
static struct sigaction out_old[3];
static const int out_signals[3] = { SIGINT, SIGTERM, SIGHUP };

static void out_on_signal(int sig)
{
	for (int i = 0; i < CLI_OUT_MAX; i++)
		if (out_tmp[i])
			unlink(out_tmp[i]);	/* async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

static int out_track(char *tmp)
{
	static bool installed;

	if (!installed) {
		struct sigaction sa = { .sa_handler = out_on_signal };

		sigemptyset(&sa.sa_mask);
		for (int i = 0; i < 3; i++)
			sigaction(out_signals[i], &sa, &out_old[i]);
		installed = true;
	}
	for (int i = 0; i < CLI_OUT_MAX; i++) {
		if (!out_tmp[i]) {
			out_tmp[i] = tmp;
			return 0;
		}
	}
	return -1;
}

static void out_untrack(const char *tmp)
{
	for (int i = 0; i < CLI_OUT_MAX; i++)
		if (out_tmp[i] == tmp)
			out_tmp[i] = NULL;
}

int cli_out_open(struct cli_out *o, const char *cmd, const char *opt, const char *path,
		 bool overwrite, const char *force_opt)
{
	static unsigned int seq;
	const char *base;
	struct stat st;
	size_t dirlen;
	int fd = -1;

	*o = (struct cli_out){ .path = path, .opt = opt };
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode)) {
			cli_usage_error(cmd, "%s %s: is a directory, not an output file", opt, path);
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			/* a device or a FIFO (/dev/null, a pipe): nothing there to destroy */
			o->f = fopen(path, "w");
			if (!o->f) {
				cli_usage_error(cmd, "%s %s: cannot open the output: %s", opt, path,
						strerror(errno));
				return -1;
			}
			return 0;
		}
		if (!overwrite) {
			cli_usage_error(cmd, "%s %s: the output exists; %s replaces it", opt, path, force_opt);
			return -1;
		}
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dirlen = (size_t)(base - path);
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		free(o->tmp);
		if (asprintf(&o->tmp, "%.*s.%s.%ld-%u.tmp", (int)dirlen, path, base, (long)getpid(),
			     seq++) < 0) {
			o->tmp = NULL;
			cli_error("out of memory");
			return -1;
		}
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		cli_usage_error(cmd, "%s %s: cannot create the output: %s", opt, path, strerror(errno));
		goto fail;
	}
	if (out_track(o->tmp) < 0 || !(o->f = fdopen(fd, "w"))) {
		cli_error("%s %s: %s", opt, path, strerror(errno ? errno : EMFILE));
		close(fd);
		unlink(o->tmp);
		out_untrack(o->tmp);
		goto fail;
	}
	o->overwrite = overwrite;
	return 0;
fail:
	free(o->tmp);
	o->tmp = NULL;
	return -1;
}

int cli_out_commit(struct cli_out *o)
{
	int ret = 0;

	if (!o->f)
		return 0;
	if (o->f == stdout) {
		if (fflush(stdout)) {
			cli_error("writing stdout: %s", strerror(errno));
			ret = -1;
		}
		o->f = NULL;
		return ret;
	}
	if (fclose(o->f)) {
		o->f = NULL;
		cli_error("writing %s: %s", o->path, strerror(errno));
		cli_out_abort(o);
		return -1;
	}
	o->f = NULL;
	if (!o->tmp)
		return 0;
	/* without --force, link() fails if the target appeared meanwhile */
	if (!o->overwrite && !link(o->tmp, o->path)) {
		unlink(o->tmp);
	} else if (!o->overwrite && errno == EEXIST) {
		cli_error("%s %s: the output appeared while writing it; left unchanged", o->opt, o->path);
		ret = -1;
	} else if (rename(o->tmp, o->path)) {
		cli_error("%s %s: %s", o->opt, o->path, strerror(errno));
		ret = -1;
	}
	if (ret < 0)
		unlink(o->tmp);
	out_untrack(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return ret;
}

void cli_out_abort(struct cli_out *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		out_untrack(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
}

/* @n with thousands separators ("265,270"), as the reports print counts. */
const char *cli_count(char *buf, size_t len, uint64_t n)
{
	char digits[24];
	int nd = snprintf(digits, sizeof(digits), "%" PRIu64, n);
	size_t o = 0;

	for (int i = 0; i < nd && o + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}
