/**
 * Applying a list of rules to a user as ACL SETUSER, `user` config lines
 * and the aclfile do: selectors spread over several words are merged
 * first, and either every rule applies or none does.
 */
import { AclRuleError } from './selector';
import type { AclUser } from './user';

/** A list of rules that cannot apply; `message` is the reply text after "ERR ". */
export class AclSetUserError extends Error {
  override name = 'AclSetUserError';
  constructor(
    message: string,
    /** The rule that failed (undefined for a whole-list problem). */
    readonly rule?: string,
    readonly code?: AclRuleError['code'],
  ) {
    super(message);
  }
}

/**
 * Redis's `ACLMergeSelectorArguments`: "(+get" "~k)" becomes "(+get ~k)".
 * Returns the merged list, or the index of an unclosed "(".
 */
export function mergeSelectorArguments(args: string[]): string[] | { unmatchedAt: number } {
  const out: string[] = [];
  let open = -1;
  let selector = '';
  args.forEach((op, j) => {
    if (open === -1 && op[0] === '(' && op[op.length - 1] !== ')') {
      selector = op;
      open = j;
      return;
    }
    if (open !== -1) {
      selector += ` ${op}`;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(selector);
      }
      return;
    }
    out.push(op);
  });
  return open === -1 ? out : { unmatchedAt: open };
}

const isPasswordRule = (op: string) => op[0] === '>' || op[0] === '<';

/**
 * Applies `args` to a copy of `user` and returns the copy; on the first bad
 * rule throws AclSetUserError with ACL SETUSER's message. `raw` (the same
 * rules as bytes) lets `>`/`<` hash a password that is not valid UTF-8.
 */
export function applyRules(user: AclUser, args: string[], pubsubDefaultAllChannels: boolean, raw?: Buffer[]): AclUser {
  const merged = mergeSelectorArguments(args);
  if (!Array.isArray(merged)) {
    throw new AclSetUserError(`Unmatched parenthesis in acl selector starting at '${args[merged.unmatchedAt]}'.`);
  }
  // Password rules are never merged into a selector (one inside makes the
  // whole list fail), so they come in the same order before and after.
  const passwords = raw ? raw.filter((_, i) => isPasswordRule(args[i])).map((b) => b.subarray(1)) : [];
  const staged = user.clone();
  for (const op of merged) {
    try {
      staged.apply(op, pubsubDefaultAllChannels, isPasswordRule(op) ? passwords.shift() : undefined);
    } catch (e) {
      if (!(e instanceof AclRuleError)) throw e;
      throw new AclSetUserError(`Error in ACL SETUSER modifier '${op}': ${e.message}`, op, e.code);
    }
  }
  return staged;
}
