//! Redis's glob matching (`stringmatchlen`), used by KEYS, SCAN MATCH,
//! CONFIG GET and (later) PSUBSCRIBE.

/// `*`, `?`, `[abc]`, `[^a-z]`, `\x` escapes; binary-safe; optional case folding.
pub fn glob_match(pattern: &[u8], text: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    match_from(pattern, text, nocase, &mut skip_longer, 0)
}

fn eq(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

// Recursion depth is bounded like Redis (1000 nested stars) so a hostile
// pattern cannot exhaust the stack; `skip_longer` prunes the exponential case.
fn match_from(mut p: &[u8], mut s: &[u8], nocase: bool, skip_longer: &mut bool, depth: u32) -> bool {
    if depth > 1000 {
        return false;
    }
    while !p.is_empty() && !s.is_empty() {
        match p[0] {
            b'*' => {
                while p.len() > 1 && p[1] == b'*' {
                    p = &p[1..];
                }
                if p.len() == 1 {
                    return true;
                }
                while !s.is_empty() {
                    if match_from(&p[1..], s, nocase, skip_longer, depth + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s = &s[1..];
                }
                *skip_longer = true;
                return false;
            }
            b'?' => s = &s[1..],
            b'[' => {
                p = &p[1..];
                let not = p.first() == Some(&b'^');
                if not {
                    p = &p[1..];
                }
                let mut matched = false;
                loop {
                    match p {
                        [] => break,
                        [b'\\', c, ..] if p.len() >= 2 => {
                            if *c == s[0] {
                                matched = true;
                            }
                            p = &p[2..];
                        }
                        [b']', ..] => break,
                        [lo, b'-', hi, ..] => {
                            let (mut a, mut b) = (*lo, *hi);
                            if a > b {
                                std::mem::swap(&mut a, &mut b);
                            }
                            let mut c = s[0];
                            if nocase {
                                a = a.to_ascii_lowercase();
                                b = b.to_ascii_lowercase();
                                c = c.to_ascii_lowercase();
                            }
                            if c >= a && c <= b {
                                matched = true;
                            }
                            p = &p[3..];
                        }
                        [c, ..] => {
                            if eq(*c, s[0], nocase) {
                                matched = true;
                            }
                            p = &p[1..];
                        }
                    }
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                s = &s[1..];
                if p.is_empty() {
                    // Unterminated class: Redis treats the end as the class end.
                    break;
                }
            }
            b'\\' if p.len() >= 2 => {
                p = &p[1..];
                if !eq(p[0], s[0], nocase) {
                    return false;
                }
                s = &s[1..];
            }
            c => {
                if !eq(c, s[0], nocase) {
                    return false;
                }
                s = &s[1..];
            }
        }
        p = &p[1..];
        if s.is_empty() {
            while p.first() == Some(&b'*') {
                p = &p[1..];
            }
            break;
        }
    }
    p.is_empty() && s.is_empty()
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn patterns() {
        assert!(glob_match(b"*", b"anything", false));
        assert!(glob_match(b"h?llo", b"hello", false));
        assert!(glob_match(b"h*llo", b"heeeello", false));
        assert!(glob_match(b"h[ae]llo", b"hallo", false));
        assert!(!glob_match(b"h[^e]llo", b"hello", false));
        assert!(glob_match(b"h[a-b]llo", b"hbllo", false));
        assert!(glob_match(b"h\\*llo", b"h*llo", false));
        assert!(!glob_match(b"h\\*llo", b"hello", false));
        assert!(glob_match(b"HELLO", b"hello", true));
        assert!(!glob_match(b"a*b", b"acbd", false));
        assert!(glob_match(b"a*", b"a", false));
        assert!(!glob_match(b"", b"a", false));
        assert!(glob_match(b"", b"", false));
        let evil = b"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
        assert!(!glob_match(evil, &[b'a'; 60], false));
    }
}
