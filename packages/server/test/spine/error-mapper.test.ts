// The one error mapper: anticipated failures keep their AWS code; a database that is away
// becomes a retryable 503; anything else a bare 500 without detail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../src/core/errors/service-error.js';
import { toWireError } from '../../src/transport/error-mapper.js';

test('ok/service errors keep their code, status and message', () => {
  assert.deepEqual(toWireError(new ServiceError('ResourceNotFoundException', 'Resource not found')), { status: 404, code: 'ResourceNotFoundException', message: 'Resource not found' });
});

test('ok/an unreachable or restarting database is a retryable 503', () => {
  for (const err of [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    new Error('Connection terminated unexpectedly'),
  ]) {
    const w = toWireError(err);
    assert.equal(w.status, 503, err.message);
    assert.equal(w.code, 'ServiceUnavailableException');
    assert.doesNotMatch(w.message, /5432|administrator|terminated/, 'no internal detail on the wire');
  }
});

test('fail/anything unanticipated is a bare 500 without detail', () => {
  const w = toWireError(new TypeError('cannot read properties of undefined (reading "secret")'));
  assert.deepEqual(w, { status: 500, code: 'InternalServerException', message: 'An internal error occurred. Try again.' });
});
