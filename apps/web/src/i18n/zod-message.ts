import type { z } from 'zod';

type Translate = (key: string, named?: Record<string, unknown>) => string;

// The contract's regex rules carry English messages; these are their translations.
const CONTRACT_MESSAGES: Record<string, string> = {
  'must contain a letter': 'validation.needLetter',
  'must contain a digit': 'validation.needDigit',
  'must differ from the current password': 'validation.newPasswordSame',
  'must be at most 72 bytes in UTF-8 (about 24 Chinese characters)': 'validation.passwordBytes',
  'must not contain control characters or angle brackets': 'validation.nicknameChars',
  'must not contain control or invisible characters, or angle brackets': 'validation.visibleChars',
  'must be a valid email address': 'validation.email',
  'is required': 'validation.required',
  'must be an http:// or https:// URL': 'validation.httpUrl',
  'must not contain whitespace': 'validation.noWhitespace',
  'must be a valid HTTP header name': 'validation.headerName',
  'must not contain line breaks': 'validation.noLineBreaks',
  'at most 20 extra headers': 'validation.tooManyHeaders',
  'a reserved header cannot be overridden': 'validation.reservedHeader',
};

/** A user-facing, translated message for the first problem zod found with a form value. */
export function zodIssueMessage(issue: z.core.$ZodIssue, t: Translate): string {
  const known = CONTRACT_MESSAGES[issue.message];
  if (known) return t(known);
  // A record key that failed its own schema: the key's issue says what is wrong with it.
  if (issue.code === 'invalid_key' && issue.issues[0]) return zodIssueMessage(issue.issues[0], t);
  switch (issue.code) {
    case 'too_small':
      return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.tooShort', { min: issue.minimum });
    case 'too_big':
      return t('validation.tooLong', { max: issue.maximum });
    case 'invalid_format':
      return issue.format === 'email' ? t('validation.email') : t('validation.invalid');
    case 'invalid_type':
      return t('validation.required');
    default:
      return t('validation.invalid');
  }
}

/** A field message from the server's validation details, translated when it is one of the contract's own. */
export function contractMessage(message: string, t: Translate): string {
  const known = CONTRACT_MESSAGES[message];
  return known ? t(known) : message;
}
