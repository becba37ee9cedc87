// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "core/elf_sym.h"

/* Open path as an ELF file: 0 with *fd and *elf set, else a negative errno. */
static int elf_open(const char *path, int *fd, Elf **elf)
{
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return -errno;
	*elf = elf_begin(*fd, ELF_C_READ, NULL);
	if (*elf && elf_kind(*elf) == ELF_K_ELF)
		return 0;
	err = -ENOEXEC;
	elf_end(*elf);
	close(*fd);
	return err;
}

static void elf_close(int fd, Elf *elf)
{
	elf_end(elf);
	close(fd);
}

/* The virtual address of defined function name in symbol table scn, or 0. */
static GElf_Addr find_in_table(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, const char *name)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 0; data && i < n; i++) {
		GElf_Sym sym;
		const char *s;

		if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		s = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (s && !strcmp(s, name))
			return sym.st_value;
	}
	return 0;
}

/* The file offset of virtual address addr, from the executable segment holding it. */
static int addr_to_offset(Elf *elf, GElf_Addr addr, size_t *off)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		if (addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_memsz) {
			*off = addr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

int elf_sym__offset(const char *path, const char *name, size_t *off)
{
	Elf_Scn *scn = NULL;
	GElf_Addr addr = 0;
	Elf *elf;
	int fd, err;

	err = elf_open(path, &fd, &elf);
	if (err)
		return err;
	while (!addr && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM)
			addr = find_in_table(elf, scn, &sh, name);
	}
	err = addr ? addr_to_offset(elf, addr, off) : -ENOENT;
	elf_close(fd, elf);
	return err;
}

/* Look for file name in the default library directories; 0 with its path in out. */
static int search_lib(const char *name, char *out, size_t len)
{
	static const char *const dirs[] = { "/lib/%s-linux-gnu", "/usr/lib/%s-linux-gnu",
					    "/lib64", "/usr/lib64", "/lib", "/usr/lib" };
	struct utsname u;

	if (uname(&u))
		return -errno;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char dir[64];

		snprintf(dir, sizeof(dir), dirs[i], u.machine);
		if ((size_t)snprintf(out, len, "%s/%s", dir, name) < len && !access(out, R_OK))
			return 0;
	}
	return -ENOENT;
}

int elf_sym__needed_lib(const char *path, const char *prefix, char *out, size_t len)
{
	Elf_Scn *scn = NULL;
	Elf *elf;
	int fd, err;

	err = elf_open(path, &fd, &elf);
	if (err)
		return err;
	err = -ENOENT;
	while (err == -ENOENT && (scn = elf_nextscn(elf, scn))) {
		Elf_Data *data = elf_getdata(scn, NULL);
		GElf_Shdr sh;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC || !data)
			continue;
		n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; i < n; i++) {
			GElf_Dyn dyn;
			const char *s;

			if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag != DT_NEEDED)
				continue;
			s = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
			if (s && !strncmp(s, prefix, strlen(prefix))) {
				err = search_lib(s, out, len);
				break;
			}
		}
	}
	elf_close(fd, elf);
	return err;
}
