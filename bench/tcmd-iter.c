// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bench's reference: iterate every record of a trace.dat with
 * libtracecmd (tracecmd_iterate_events over all CPUs of the top buffer and
 * of every instance), no formatting.  Prints the record count.
 */
#include <stdio.h>
#include <trace-cmd.h>

static int count_cb(struct tracecmd_input *h, struct tep_record *rec, int cpu, void *data)
{
	(*(unsigned long long *)data)++;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long n = 0;
	struct tracecmd_input *h;
	int nr;

	if (argc != 2) {
		fprintf(stderr, "usage: tcmd-iter TRACE.dat\n");
		return 1;
	}
	tracecmd_set_loglevel(TEP_LOG_NONE);
	h = tracecmd_open(argv[1], TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!h) {
		fprintf(stderr, "tcmd-iter: cannot open %s\n", argv[1]);
		return 2;
	}
	tracecmd_iterate_events(h, NULL, 0, count_cb, &n);
	nr = tracecmd_buffer_instances(h);
	for (int i = 0; i < nr; i++) {
		struct tracecmd_input *ih = tracecmd_buffer_instance_handle(h, i);

		if (ih) {
			tracecmd_iterate_events(ih, NULL, 0, count_cb, &n);
			tracecmd_close(ih);
		}
	}
	tracecmd_close(h);
	printf("%llu\n", n);
	return 0;
}
