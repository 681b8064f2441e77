// The test wallet from the command line, for trying the app without a phone:
//   npm run wallet -- collect '<offer link>' [--tx-code 123456]
//   npm run wallet -- present '<request link>'
//   npm run wallet -- list
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { definitionByVcType } from '../../main/credentials/catalogue/index.ts';
import { TestWallet, WalletError, parseOfferLink, type StoredCredential } from './wallet.ts';

const HELP = `Staff Passport test wallet: a holder wallet on this computer, for trying the app without a phone.

Usage:
  npm run wallet -- collect <offer-link> [--tx-code CODE]
      Collect the credentials of an offer. The offer link starts with openid-credential-offer://
      (copy it from the app's QR screen). --tx-code gives the code the offer asks for, if any.
  npm run wallet -- present <request-link>
      Share the credentials an employer asks for. The link starts with openid4vp://
  npm run wallet -- list
      Show the wallet's DID and the credentials it holds.

Options:
  --file PATH      The wallet file (default: $STAFF_PASSPORT_WALLET, or wallet.json in this folder).
                   It is made on the first collect and holds the wallet's private key: keep it private.
  -h, --help       Show this help.

Put links in quotes: they contain & and ?, which the shell would otherwise read.
`;

class UsageError extends Error {}

/** The credential's type in HR's words ("Core skill"), from the catalogue where it is known. */
function typeName(types: readonly string[]): string {
  const type = types.find((candidate) => candidate !== 'VerifiableCredential') ?? 'VerifiableCredential';
  const known = definitionByVcType(type);
  if (known) return known.displayName;
  const words = type.replace(/^NHS/, '').replace(/Credential$/, '').split(/(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/);
  return words.map((word, n) => (n > 0 && !/^[A-Z]{2,}$/.test(word) ? word.toLowerCase() : word)).join(' ') || type;
}

function describeCredential(credential: StoredCredential): string {
  const issued = credential.issuedAt ? `, issued ${credential.issuedAt.slice(0, 10)}` : '';
  return `${typeName(credential.types)} from ${credential.issuer}${issued}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

async function openOrNull(file: string): Promise<TestWallet | null> {
  try {
    return await TestWallet.open(file);
  } catch (error) {
    if (error instanceof WalletError && error.code === 'wallet_not_found') return null;
    throw error;
  }
}

async function collect(file: string, offerLink: string, txCode: string | undefined, out: (line: string) => void): Promise<void> {
  parseOfferLink(offerLink); // a wrong link is refused before a wallet is made for it
  let wallet = await openOrNull(file);
  if (!wallet) {
    wallet = await TestWallet.create(file);
    out(`Made a new wallet at ${file}.`);
  }
  const collected = await wallet.collect(offerLink, txCode !== undefined ? { txCode } : {});
  out(`Collected ${plural(collected.length, 'credential')}:`);
  for (const credential of collected) out(`  - ${describeCredential(credential)}`);
  out(`The wallet now holds ${plural(wallet.list().length, 'credential')}.`);
}

async function present(file: string, requestLink: string, out: (line: string) => void): Promise<number> {
  const wallet = await openOrNull(file);
  if (!wallet) throw new UsageError(`There is no wallet at ${file} yet, so there is nothing to share. Collect a credential first.`);
  const result = await wallet.present(requestLink);
  const shared = result.shared.flatMap((entry) => entry.credentials);
  out(`Shared ${plural(shared.length, 'credential')} with ${result.request.clientId.replace(/^decentralized_identifier:/, '')}:`);
  for (const credential of shared) out(`  - ${describeCredential(credential)}`);
  if (result.status >= 200 && result.status < 300) {
    const redirect = typeof result.body === 'object' && result.body !== null ? (result.body as { redirect_uri?: unknown }).redirect_uri : undefined;
    out(`The employer's system received them.${typeof redirect === 'string' ? ` It says to continue at ${redirect}` : ''}`);
    return 0;
  }
  const body = typeof result.body === 'object' && result.body !== null ? (result.body as { error?: unknown; error_description?: unknown }) : {};
  const reason = typeof body.error_description === 'string' ? body.error_description : typeof body.error === 'string' ? body.error : String(result.body).slice(0, 200);
  throw new WalletError(typeof body.error === 'string' ? body.error : 'presentation_refused', `The employer's system refused the presentation (HTTP ${result.status}): ${reason}`, { status: result.status });
}

async function list(file: string, out: (line: string) => void): Promise<void> {
  const wallet = await openOrNull(file);
  if (!wallet) {
    out(`There is no wallet at ${file} yet, so it holds no credentials.`);
    out(`Collect one with: npm run wallet -- collect '<offer link>'`);
    return;
  }
  const credentials = wallet.list();
  out(`Wallet ${file}`);
  out(`Holder DID: ${wallet.did}`);
  if (credentials.length === 0) {
    out('It holds no credentials yet.');
    return;
  }
  out(`It holds ${plural(credentials.length, 'credential')}:`);
  credentials.forEach((credential, n) => out(`  ${n + 1}. ${describeCredential(credential)} (id ${credential.id})`));
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, out = (line: string) => console.log(line), err = (line: string) => console.error(line)): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { file: { type: 'string' }, 'tx-code': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    err(`${(error as Error).message}\nRun with --help to see how to use the wallet.`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(HELP.trimEnd());
    return 0;
  }
  const file = resolve(values.file ?? env.STAFF_PASSPORT_WALLET ?? 'wallet.json');
  const [command, link, ...rest] = positionals;
  try {
    if (!command) throw new UsageError('Say what to do: collect, present or list.');
    if (rest.length > 0) throw new UsageError(`Unexpected extra arguments: ${rest.join(' ')}. Put the link in quotes.`);
    if (values['tx-code'] !== undefined && command !== 'collect') throw new UsageError('--tx-code is only for collect.');
    switch (command) {
      case 'collect':
        if (!link) throw new UsageError('Give the offer link: npm run wallet -- collect \'openid-credential-offer://...\'');
        await collect(file, link, values['tx-code'], out);
        return 0;
      case 'present':
        if (!link) throw new UsageError('Give the request link: npm run wallet -- present \'openid4vp://...\'');
        return await present(file, link, out);
      case 'list':
        if (link) throw new UsageError('list takes no link.');
        await list(file, out);
        return 0;
      default:
        throw new UsageError(`There is no command "${command}": use collect, present or list.`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\nRun with --help to see how to use the wallet.`);
      return 2;
    }
    if (error instanceof WalletError) {
      err(`${error.description} [${error.code}${error.status !== undefined ? `, HTTP ${error.status}` : ''}]`);
      return 1;
    }
    err(`The wallet failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
