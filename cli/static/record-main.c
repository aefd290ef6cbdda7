// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope-record-static: the recorder alone, linked statically for
 * devices that have none of our libraries (`adb push`, a guest initramfs).
 * Same options as `allocscope record`; see allocscope-record(1).  Built from
 * capture/ (the recording loop, cap_record()) and the record command's front
 * end (cli/cmd-record.c, cli/util.c): the static binary prints, so its
 * options and messages stay in cli/, the one module that prints.
 */
#include <stdio.h>
#include <string.h>

#include "../cli.h"

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))) {
		printf("allocscope-record %s\n", "0.1");
		return EXIT_OK;
	}
	cli_prog = "allocscope-record";
	return cmd_record(argc, argv);
}
