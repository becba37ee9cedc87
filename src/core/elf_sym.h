/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Function symbols of ELF files, for uprobes: where a function is in a
 * binary, and which shared library of a binary provides it.
 */
#ifndef TRACERHUB_CORE_ELF_SYM_H
#define TRACERHUB_CORE_ELF_SYM_H

#include <stddef.h>

/*
 * The file offset of function name in ELF file path (what a uprobe
 * attaches to), looked up in .symtab and .dynsym. Returns 0 and sets *off,
 * -ENOENT when the file has no such defined function (stripped, or another
 * program), -ENOEXEC when it is not an ELF file, or another negative errno.
 */
int elf_sym__offset(const char *path, const char *name, size_t *off);
/*
 * Find the shared library of ELF file path whose DT_NEEDED name starts with
 * prefix (e.g. "libreadline.so"), in the directories the dynamic linker
 * searches by default; its path goes to out (len bytes). Returns 0,
 * -ENOENT when path needs no such library or it is not found, or another
 * negative errno.
 */
int elf_sym__needed_lib(const char *path, const char *prefix, char *out, size_t len);

#endif
