import { runStoreContract } from './contract.js';
import { sqliteBackend } from './backends.js';

runStoreContract(sqliteBackend);
