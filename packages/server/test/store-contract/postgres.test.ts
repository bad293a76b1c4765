import { runStoreContract } from './contract.js';
import { postgresBackend, postgresSkip } from './backends.js';

runStoreContract(postgresBackend, await postgresSkip());
