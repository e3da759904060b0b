/*
 * Trace masks (see trace.h).
 */
#include <ipc/mach_msg.h>
#include <kern/bootopt.h>
#include <kern/printf.h>
#include <kern/thread.h>
#include <kern/trace.h>

uint32_t trace_mask;

static const struct {
	const char *name;
	uint32_t bit;
} trace_names[] = {
	{ "ipc", TRACE_IPC },
	{ "sched", TRACE_SCHED },
	{ "vm", TRACE_VM },
	{ "exc", TRACE_EXC },
};

/* trace_printf: see trace.h.  Any context. */
void trace_printf(uint32_t sub, const char *fmt, ...)
{
	const char *name = "?";
	for (size_t i = 0; i < ARRAY_SIZE(trace_names); i++)
		if (trace_names[i].bit == sub)
			name = trace_names[i].name;
	thread_t t = current_thread();
	if (t)
		printf("[%s %d] ", name, t->id);
	else
		printf("[%s -] ", name);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Does the word at p (ending at ',', ' ' or NUL) equal w? */
static bool word_eq(const char *p, size_t n, const char *w)
{
	size_t i = 0;
	for (; i < n && w[i]; i++)
		if (p[i] != w[i])
			return false;
	return i == n && w[i] == '\0';
}

/* trace_parse: see trace.h. */
uint32_t trace_parse(const char *list)
{
	uint32_t mask = 0;
	const char *p = list;
	while (*p && *p != ' ') {
		size_t n = 0;
		while (p[n] && p[n] != ',' && p[n] != ' ')
			n++;
		bool known = n == 0;
		if (word_eq(p, n, "all")) {
			mask = TRACE_ALL;
			known = true;
		} else if (word_eq(p, n, "off") || word_eq(p, n, "none")) {
			mask = 0;
			known = true;
		}
		for (size_t i = 0; i < ARRAY_SIZE(trace_names); i++) {
			if (word_eq(p, n, trace_names[i].name)) {
				mask |= trace_names[i].bit;
				known = true;
			}
		}
		if (!known)
			printf("trace: unknown subsystem \"%.*s\" (ipc, sched, vm, exc, all)\n",
			       (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	return mask;
}

/* trace_init: see trace.h. */
void trace_init(void)
{
	if (bootopt.trace[0] == '\0')
		return;
	trace_mask = trace_parse(bootopt.trace);
	mach_msg_asm_update();
	printf("mk: tracing ");
	trace_print_mask();
	printf("\n");
}

/* trace_print_mask: see trace.h. */
void trace_print_mask(void)
{
	if (trace_mask == 0) {
		printf("off");
		return;
	}
	const char *sep = "";
	for (size_t i = 0; i < ARRAY_SIZE(trace_names); i++) {
		if (trace_mask & trace_names[i].bit) {
			printf("%s%s", sep, trace_names[i].name);
			sep = " ";
		}
	}
}
