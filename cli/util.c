// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
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
