/*
 * C `long double` arithmetic for INCRBYFLOAT (and later HINCRBYFLOAT).
 *
 * Redis computes these increments in `long double` (80-bit extended on x86
 * Linux, 128-bit on aarch64 Linux, plain double on MSVC) and prints them with
 * `%.17Lf`; reproducing its digits takes the platform's own type and printf,
 * which Rust has no access to. Values cross the boundary as opaque 16-byte
 * buffers that only this file interprets.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest text Redis parses or prints as a long double (MAX_LONG_DOUBLE_CHARS). */
#define FKV_LD_MAX_CHARS (5 * 1024)

typedef char fkv_ld_fits_in_16_bytes[(sizeof(long double) <= 16) ? 1 : -1];

static long double load(const void *p) {
    long double v;
    memcpy(&v, p, sizeof v);
    return v;
}

static void store(void *p, long double v) {
    memset(p, 0, 16);
    memcpy(p, &v, sizeof v);
}

size_t fkv_ld_size(void) { return sizeof(long double); }

/* Redis's string2ld: the whole input must be a number strtold accepts, with no
 * leading space, no NaN, and no overflow or underflow to zero. Returns 1 and
 * writes `out` on success, 0 otherwise. */
int fkv_ld_parse(const char *s, size_t len, void *out) {
    char buf[FKV_LD_MAX_CHARS];
    char *end;
    long double v;

    if (len == 0 || len >= sizeof buf) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    v = strtold(buf, &end);
    if (isspace((unsigned char)buf[0]) || *end != '\0' || (size_t)(end - buf) != len) return 0;
    if (errno == ERANGE && (isinf(v) || fpclassify(v) == FP_ZERO)) return 0;
    if (errno == EINVAL || isnan(v)) return 0;
    store(out, v);
    return 1;
}

void fkv_ld_from_i64(long long n, void *out) { store(out, (long double)n); }

void fkv_ld_add(const void *a, const void *b, void *out) { store(out, load(a) + load(b)); }

int fkv_ld_is_finite(const void *a) {
    long double v = load(a);
    return !(isnan(v) || isinf(v));
}

/* Redis's ld2string in LD_STR_HUMAN mode for a finite value: `%.17Lf`, trailing
 * zeros (and a bare '.') removed, "-0" written as "0". Returns the length
 * written to `buf` (not NUL-terminated by contract), or 0 if it did not fit. */
size_t fkv_ld_format_human(const void *a, char *buf, size_t cap) {
    char tmp[FKV_LD_MAX_CHARS];
    int n = snprintf(tmp, sizeof tmp, "%.17Lf", load(a));
    size_t l;

    if (n < 0 || (size_t)n + 1 > sizeof tmp) return 0;
    l = (size_t)n;
    if (memchr(tmp, '.', l) != NULL) {
        while (tmp[l - 1] == '0') l--;
        if (tmp[l - 1] == '.') l--;
    }
    if (l == 2 && tmp[0] == '-' && tmp[1] == '0') {
        tmp[0] = '0';
        l = 1;
    }
    if (l > cap) return 0;
    memcpy(buf, tmp, l);
    return l;
}
