/*
 * Kernel command-line parsing.
 */
#include <kern/bootopt.h>
#include <kern/lib.h>

struct boot_options bootopt;

/* Copy the value of "key=value" (stopping at a space) into dst. */
static void copy_value(char *dst, size_t size, const char *v)
{
	size_t n = 0;
	while (v[n] && v[n] != ' ')
		n++;
	if (n >= size)
		n = size - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static bool word_is(const char *p, const char *w)
{
	size_t n = strlen(w);
	return strncmp(p, w, n) == 0 && (p[n] == ' ' || p[n] == '\0');
}

/*
 * bootopt_parse: fill bootopt from the command line.  Unknown words are
 * ignored (the loader may prepend the kernel's path).  Called once at boot.
 */
void bootopt_parse(const char *cmdline)
{
	strlcpy(bootopt.cmdline, cmdline ? cmdline : "", sizeof(bootopt.cmdline));
	for (const char *p = bootopt.cmdline; *p; ) {
		while (*p == ' ')
			p++;
		if (word_is(p, "test")) bootopt.test = true;
		else if (word_is(p, "bench")) bootopt.bench = true;
		else if (word_is(p, "panic_test")) bootopt.panic_test = true;
		else if (word_is(p, "nohotpath")) bootopt.nohotpath = true;
		else if (word_is(p, "kdb")) bootopt.kdb = true;
		else if (strncmp(p, "trace=", 6) == 0)
			copy_value(bootopt.trace, sizeof(bootopt.trace), p + 6);
		else if (strncmp(p, "only=", 5) == 0)
			copy_value(bootopt.only, sizeof(bootopt.only), p + 5);
		while (*p && *p != ' ')
			p++;
	}
}
