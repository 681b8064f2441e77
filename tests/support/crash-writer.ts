// Writes batches to the store in transactions, announcing each commit, until it is killed.
// Used by the crash test: the parent kills it with SIGKILL in the middle of a batch.
import { openStore } from '../../main/platform/store.ts';

const [filename, keyHex] = process.argv.slice(2);
const store = await openStore({ filename: filename!, key: Buffer.from(keyHex!, 'hex'), mustExist: true });
for (let batch = 1; ; batch++) {
  await store.knex.transaction(async (trx) => {
    for (let i = 0; i < 100; i++) {
      await trx('user_settings').insert({ key: `crash-${batch}-${i}`, value: '"x"', updated_at: new Date().toISOString() });
      if (i === 50) {
        process.stdout.write('writing\n');
        // Give the parent time to kill us with the transaction open.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });
  process.stdout.write(`committed ${batch}\n`);
}
