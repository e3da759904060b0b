/*
 * Symbol lookup for backtraces.
 */
#include <kern/ksyms.h>
#include <kern/lib.h>

extern const char __ksyms_start[], __ksyms_end[];

static const struct ksyms_header *table(void)
{
	const struct ksyms_header *h = (const void *)__ksyms_start;
	if (__ksyms_end - __ksyms_start < (long)sizeof(*h) || h->magic != KSYMS_MAGIC)
		return NULL;
	return h;
}

/*
 * ksyms_lookup: binary search for the last symbol at or below addr.
 * Returns its name and sets *offset, or NULL (no table, or addr before
 * the first symbol or past _etext).
 */
const char *ksyms_lookup(uintptr_t addr, uint32_t *offset)
{
	extern const char _etext[];
	const struct ksyms_header *h = table();
	if (h == NULL || h->count == 0 || addr >= (uintptr_t)_etext)
		return NULL;
	const struct ksym *e = (const void *)(h + 1);
	const char *strs = (const char *)h + h->strings;
	uint32_t lo = 0, hi = h->count;
	if (addr < e[0].addr)
		return NULL;
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (e[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - e[lo].addr;
	return strs + e[lo].name;
}

/* ksyms_addr: linear search by name; for the debugger, not hot paths. */
uintptr_t ksyms_addr(const char *name)
{
	const struct ksyms_header *h = table();
	if (h == NULL)
		return 0;
	const struct ksym *e = (const void *)(h + 1);
	const char *strs = (const char *)h + h->strings;
	for (uint32_t i = 0; i < h->count; i++)
		if (strcmp(strs + e[i].name, name) == 0)
			return e[i].addr;
	return 0;
}
