// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ground-truth snapshots, one marker line per fact (docs/capture-format.md):
 *
 *   allocscope: vmstat <name> <value>
 *   allocscope: meminfo <name> <kB>
 *   allocscope: watermark <node> <zone> <min> <low> <high>
 *   allocscope: kswapd <pid> <comm> <utime> <stime>
 *   allocscope: kswapd-sched <pid> <comm> <run time ns>
 *
 * Lines stay short: trace_marker writes are limited in size, and one write
 * is one event.
 */
/* paths and names are cut to their buffers on purpose */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

static FILE *open_proc(const char *proc_dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", proc_dir, name);
	return fopen(path, "re");
}

int cap_emit_vmstat(const char *proc_dir, cap_emit_fn emit, void *ctx)
{
	char line[256], out[320], name[128];
	unsigned long long v;
	int n = 0;
	FILE *f = open_proc(proc_dir, "vmstat");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %llu", name, &v) == 2) {
			snprintf(out, sizeof(out), "allocscope: vmstat %s %llu", name, v);
			if (!emit(ctx, out))
				n++;
		}
	fclose(f);
	return n;
}

/* "MemFree:         123456 kB" -> "meminfo MemFree 123456"; HugePages_Total has no unit. */
int cap_emit_meminfo(const char *proc_dir, cap_emit_fn emit, void *ctx)
{
	char line[256], out[320], name[128];
	unsigned long long v;
	int n = 0;
	FILE *f = open_proc(proc_dir, "meminfo");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || colon - line >= (long)sizeof(name))
			continue;
		memcpy(name, line, (size_t)(colon - line));
		name[colon - line] = 0;
		if (sscanf(colon + 1, "%llu", &v) != 1)
			continue;
		snprintf(out, sizeof(out), "allocscope: meminfo %s %llu", name, v);
		if (!emit(ctx, out))
			n++;
	}
	fclose(f);
	return n;
}

/*
 * /proc/zoneinfo: "Node 0, zone   Normal" opens a zone; its "min", "low"
 * and "high" lines (pages) follow "pages free".  "high:" inside the
 * pagesets is another thing (token with a colon).
 */
int cap_emit_watermarks(const char *proc_dir, cap_emit_fn emit, void *ctx)
{
	char line[256], out[320], zone[64] = "", tok[64];
	unsigned long long v, min = 0, low = 0, high = 0;
	int node = -1, have = 0, n = 0;
	FILE *f = open_proc(proc_dir, "zoneinfo");

	if (!f)
		return 0;
	for (;;) {
		char *ok = fgets(line, sizeof(line), f);
		int nd;
		char zn[64];

		if (!ok || sscanf(line, "Node %d, zone %63s", &nd, zn) == 2) {
			if (node >= 0 && have == 7) {
				snprintf(out, sizeof(out), "allocscope: watermark %d %s %llu %llu %llu",
					 node, zone, min, low, high);
				if (!emit(ctx, out))
					n++;
			}
			if (!ok)
				break;
			node = nd;
			snprintf(zone, sizeof(zone), "%s", zn);
			have = 0;
			continue;
		}
		if (sscanf(line, " %63s %llu", tok, &v) != 2)
			continue;
		if (!strcmp(tok, "min") && !(have & 1)) {
			min = v;
			have |= 1;
		} else if (!strcmp(tok, "low") && !(have & 2)) {
			low = v;
			have |= 2;
		} else if (!strcmp(tok, "high") && !(have & 4)) {
			high = v;
			have |= 4;
		}
	}
	fclose(f);
	return n;
}

/* kswapd threads: fields 14 and 15 of /proc/PID/stat (clock ticks), after the ")" of comm. */
int cap_emit_kswapd(const char *proc_dir, cap_emit_fn emit, void *ctx)
{
	struct dirent *de;
	char path[512], buf[1024], out[320];
	int n = 0;
	DIR *d = opendir(proc_dir);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		unsigned long long ut, st;
		char comm[64], *rp, *p;
		FILE *f;
		int field;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%s/stat", proc_dir, de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		if (!p || !(p = strchr(buf, '(')) || !(rp = strrchr(buf, ')')))
			continue;
		if (rp - p - 1 <= 0 || rp - p - 1 >= (long)sizeof(comm))
			continue;
		memcpy(comm, p + 1, (size_t)(rp - p - 1));
		comm[rp - p - 1] = 0;
		if (strncmp(comm, "kswapd", 6))
			continue;
		/* after ")" comes field 3 (state); utime is field 14 */
		p = rp + 1;
		for (field = 3; field < 14 && p; field++) {
			p = strchr(p + 1, ' ');
		}
		if (!p || sscanf(p, " %llu %llu", &ut, &st) != 2)
			continue;
		snprintf(out, sizeof(out), "allocscope: kswapd %s %s %llu %llu", de->d_name, comm, ut, st);
		if (!emit(ctx, out))
			n++;
		/*
		 * /proc/PID/schedstat (CONFIG_SCHED_INFO): se.sum_exec_runtime in
		 * ns, the run time /proc/PID/stat rounds down to ticks (its utime
		 * + stime are scaled to it by cputime_adjust())
		 */
		snprintf(path, sizeof(path), "%s/%s/schedstat", proc_dir, de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		if (!p || sscanf(buf, "%llu", &ut) != 1)
			continue;
		snprintf(out, sizeof(out), "allocscope: kswapd-sched %s %s %llu", de->d_name, comm, ut);
		if (!emit(ctx, out))
			n++;
	}
	closedir(d);
	return n;
}
