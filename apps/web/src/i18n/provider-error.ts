import { i18n, translate } from './index';

/**
 * The server words a failed model call in English, from fixed templates (libs/llm-clients describe-error.ts):
 * "<what went wrong>: <the upstream's own words>". In another language the first part is translated here and the
 * upstream's words are kept as they came. A message that matches no template is shown as it is.
 */
const TEMPLATES: { pattern: RegExp; key: string }[] = [
  // Sentences around another one (`inner`, localised in turn).
  { pattern: /^Could not list the models of (?<name>.+?): (?<inner>[\s\S]+)$/, key: 'listModels' },
  {
    pattern: /^(?<inner>[\s\S]+)\. This server lists no models: add its model names by hand to test it with a chat$/,
    key: 'noModelList',
  },
  {
    pattern: /^The provider rejected the API key(?: \(HTTP (?<status>\d{3})\))?(?:: (?<detail>[\s\S]*))?$/,
    key: 'auth',
  },
  // The host is an address or, for people using a model, the provider's name (which may hold spaces).
  { pattern: /^Could not reach (?:the provider|(?<host>.+?))(?:: (?<detail>[\s\S]*))?$/, key: 'network' },
  {
    pattern: /^Lost the connection to (?:the provider|(?<host>.+?))(?:: (?<detail>[\s\S]*))?$/,
    key: 'connectionLost',
  },
  { pattern: /^Unknown model '(?<model>[^']*)'(?:: (?<detail>[\s\S]*))?$/, key: 'unknownModel' },
  { pattern: /^Not found(?:: (?<detail>[\s\S]*))?$/, key: 'notFound' },
  { pattern: /^Timed out(?:: (?<detail>[\s\S]*))?$/, key: 'timeout' },
  { pattern: /^Rate limited; retry after (?<seconds>\d+) s(?:: (?<detail>[\s\S]*))?$/, key: 'rateLimitedFor' },
  { pattern: /^Rate limited(?:: (?<detail>[\s\S]*))?$/, key: 'rateLimited' },
  { pattern: /^The provider failed(?: \(HTTP (?<status>\d{3})\))?(?:: (?<detail>[\s\S]*))?$/, key: 'upstream' },
  {
    pattern: /^The provider rejected the request(?: \(HTTP (?<status>\d{3})\))?(?:: (?<detail>[\s\S]*))?$/,
    key: 'badRequest',
  },
  { pattern: /^The response was cut off(?:: (?<detail>[\s\S]*))?$/, key: 'truncated' },
  { pattern: /^Cancelled$/, key: 'cancelled' },
];

/** `message` in the user's language when it is one of the server's model-call failure sentences. */
export function localizeProviderError(message: string): string {
  if (i18n.global.locale.value === 'en') return message;
  for (const { pattern, key } of TEMPLATES) {
    const match = pattern.exec(message);
    if (!match) continue;
    const { detail, status, host, model, seconds, name, inner } = match.groups ?? {};
    if (inner !== undefined) return translate(`providerErrors.${key}`, { name, inner: localizeProviderError(inner) });
    let summary = translate(`providerErrors.${key}`, {
      host: host ?? translate('providerErrors.theProvider'),
      model,
      seconds,
    });
    if (status) summary = translate('providerErrors.withStatus', { summary, status });
    return detail ? translate('providerErrors.withDetail', { summary, detail }) : summary;
  }
  return message;
}
