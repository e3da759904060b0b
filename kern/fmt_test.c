/*
 * Self-tests of the printf engine (kern/fmt.c).
 */
#include <kern/ktest.h>
#include <kern/lib.h>
#include <kern/printf.h>

static void expect(struct ktest *kt, const char *got, const char *want)
{
	KT_CHECK(kt, strcmp(got, want) == 0, "\"%s\" == \"%s\"", got, want);
}

KTEST(printf_format)
{
	char b[64];

	snprintf(b, sizeof(b), "%d %i %u", -42, 7, 4000000000u);
	expect(kt, b, "-42 7 4000000000");
	snprintf(b, sizeof(b), "[%5d][%-5d][%05d][%+d][% d]", 42, 42, -42, 5, 5);
	expect(kt, b, "[   42][42   ][-0042][+5][ 5]");
	snprintf(b, sizeof(b), "%x %X %#x %#o %o", 0xbeefu, 0xbeefu, 255u, 8u, 8u);
	expect(kt, b, "beef BEEF 0xff 010 10");
	snprintf(b, sizeof(b), "%llu %lld %llx", 18446744073709551615ull,
		 -9223372036854775807ll - 1, 0x123456789abcdefull);
	expect(kt, b, "18446744073709551615 -9223372036854775808 123456789abcdef");
	snprintf(b, sizeof(b), "[%s][%.3s][%6s][%-6s]", "abc", "abcdef", "ab", "ab");
	expect(kt, b, "[abc][abc][    ab][ab    ]");
	snprintf(b, sizeof(b), "%c%c%% %p", 'o', 'k', (void *)0xc0100000);
	expect(kt, b, "ok% 0xc0100000");
	snprintf(b, sizeof(b), "%.5d|%8.3x|%*d|%-*d|", 42, 0xau, 4, 1, 3, 2);
	expect(kt, b, "00042|     00a|   1|2  |");
	snprintf(b, sizeof(b), "%hhd %hd %zu", 300, 70000, (size_t)12);
	expect(kt, b, "44 4464 12");
	int n = snprintf(b, 8, "%s", "truncated output");
	KT_CHECK(kt, n == 16 && strcmp(b, "truncat") == 0,
		 "truncation returns the full length (%d) and NUL-terminates", n);
	const char *volatile null_str = NULL;	/* hidden from -Wformat-overflow */
	snprintf(b, sizeof(b), "%s", null_str);
	expect(kt, b, "(null)");
}
