import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatePolicies, type ContextValue } from '../../src/core/policy/index.js';
import { conditionHolds, parseOk } from './helpers.js';

type Row = [name: string, operator: string, key: string, values: unknown, context: Record<string, ContextValue>, expected: boolean];

const T = 'aws:PrincipalTag/team';
const NONE: Record<string, ContextValue> = {};

// Every operator: match, mismatch, absent key, IfExists. `ok/` rows expect the condition to hold,
// `fail/` rows expect it not to.
const rows: Row[] = [
  // String
  ['ok/StringEquals match', 'StringEquals', T, 'blue', { [T]: 'blue' }, true],
  ['fail/StringEquals case differs', 'StringEquals', T, 'blue', { [T]: 'Blue' }, false],
  ['fail/StringEquals absent key', 'StringEquals', T, 'blue', NONE, false],
  ['ok/StringEquals any of several values', 'StringEquals', T, ['red', 'blue'], { [T]: 'blue' }, true],
  ['ok/StringEqualsIfExists absent key', 'StringEqualsIfExists', T, 'blue', NONE, true],
  ['fail/StringEqualsIfExists present mismatch', 'StringEqualsIfExists', T, 'blue', { [T]: 'red' }, false],
  ['ok/StringNotEquals mismatch', 'StringNotEquals', T, 'blue', { [T]: 'red' }, true],
  ['fail/StringNotEquals match', 'StringNotEquals', T, 'blue', { [T]: 'blue' }, false],
  ['fail/StringNotEquals NOR over values', 'StringNotEquals', T, ['red', 'blue'], { [T]: 'red' }, false],
  ['ok/StringNotEquals absent key is true', 'StringNotEquals', T, 'blue', NONE, true],
  ['ok/StringNotEqualsIfExists absent key', 'StringNotEqualsIfExists', T, 'blue', NONE, true],
  ['ok/StringEqualsIgnoreCase match', 'StringEqualsIgnoreCase', T, 'BLUE', { [T]: 'blue' }, true],
  ['fail/StringEqualsIgnoreCase mismatch', 'StringEqualsIgnoreCase', T, 'BLUE', { [T]: 'red' }, false],
  ['fail/StringEqualsIgnoreCase absent', 'StringEqualsIgnoreCase', T, 'BLUE', NONE, false],
  ['ok/StringEqualsIgnoreCaseIfExists absent', 'StringEqualsIgnoreCaseIfExists', T, 'x', NONE, true],
  ['ok/StringNotEqualsIgnoreCase mismatch', 'StringNotEqualsIgnoreCase', T, 'BLUE', { [T]: 'red' }, true],
  ['fail/StringNotEqualsIgnoreCase match', 'StringNotEqualsIgnoreCase', T, 'BLUE', { [T]: 'blue' }, false],
  ['ok/StringNotEqualsIgnoreCase absent', 'StringNotEqualsIgnoreCase', T, 'BLUE', NONE, true],
  ['ok/StringLike star', 'StringLike', T, 'bl*', { [T]: 'blue' }, true],
  ['ok/StringLike star matches empty', 'StringLike', T, 'blue*', { [T]: 'blue' }, true],
  ['ok/StringLike question mark', 'StringLike', T, 'bl?e', { [T]: 'blue' }, true],
  ['fail/StringLike question mark needs one char', 'StringLike', T, 'blue?', { [T]: 'blue' }, false],
  ['fail/StringLike is case-sensitive', 'StringLike', T, 'BL*', { [T]: 'blue' }, false],
  ['ok/StringLike several stars', 'StringLike', T, '*a*b*c*', { [T]: 'xxaxbyyc' }, true],
  ['fail/StringLike several stars', 'StringLike', T, '*a*b*c*', { [T]: 'xxcxbyya' }, false],
  ['fail/StringLike absent', 'StringLike', T, '*', NONE, false],
  ['ok/StringLikeIfExists absent', 'StringLikeIfExists', T, 'b*', NONE, true],
  ['ok/StringNotLike mismatch', 'StringNotLike', T, 'r*', { [T]: 'blue' }, true],
  ['fail/StringNotLike match', 'StringNotLike', T, 'b*', { [T]: 'blue' }, false],
  ['ok/StringNotLike absent', 'StringNotLike', T, 'b*', NONE, true],
  // Numeric
  ['ok/NumericEquals', 'NumericEquals', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': '10.0' }, true],
  ['fail/NumericEquals mismatch', 'NumericEquals', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': '11' }, false],
  ['fail/NumericEquals not a number', 'NumericEquals', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': 'ten' }, false],
  ['fail/NumericEquals absent', 'NumericEquals', 'aws:MultiFactorAuthAge', '10', NONE, false],
  ['ok/NumericEqualsIfExists absent', 'NumericEqualsIfExists', 'aws:MultiFactorAuthAge', '10', NONE, true],
  ['ok/NumericEquals JSON number value', 'NumericEquals', 'aws:MultiFactorAuthAge', 10, { 'aws:MultiFactorAuthAge': '10' }, true],
  ['ok/NumericNotEquals', 'NumericNotEquals', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': '11' }, true],
  ['fail/NumericNotEquals equal', 'NumericNotEquals', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': '10' }, false],
  ['ok/NumericNotEquals absent', 'NumericNotEquals', 'aws:MultiFactorAuthAge', '10', NONE, true],
  ['ok/NumericLessThan', 'NumericLessThan', 'aws:MultiFactorAuthAge', '3600', { 'aws:MultiFactorAuthAge': '20' }, true],
  ['fail/NumericLessThan equal', 'NumericLessThan', 'aws:MultiFactorAuthAge', '20', { 'aws:MultiFactorAuthAge': '20' }, false],
  ['fail/NumericLessThan absent', 'NumericLessThan', 'aws:MultiFactorAuthAge', '20', NONE, false],
  ['ok/NumericLessThanIfExists absent', 'NumericLessThanIfExists', 'aws:MultiFactorAuthAge', '20', NONE, true],
  ['ok/NumericLessThanEquals equal', 'NumericLessThanEquals', 'aws:MultiFactorAuthAge', '20', { 'aws:MultiFactorAuthAge': '20' }, true],
  ['fail/NumericLessThanEquals greater', 'NumericLessThanEquals', 'aws:MultiFactorAuthAge', '20', { 'aws:MultiFactorAuthAge': '21' }, false],
  ['ok/NumericGreaterThan', 'NumericGreaterThan', 'aws:MultiFactorAuthAge', '-1.5', { 'aws:MultiFactorAuthAge': '0' }, true],
  ['fail/NumericGreaterThan equal', 'NumericGreaterThan', 'aws:MultiFactorAuthAge', '5', { 'aws:MultiFactorAuthAge': '5' }, false],
  ['ok/NumericGreaterThanEquals equal', 'NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', '5', { 'aws:MultiFactorAuthAge': '5' }, true],
  ['fail/NumericGreaterThanEquals less', 'NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', '5', { 'aws:MultiFactorAuthAge': '4' }, false],
  ['fail/NumericGreaterThanEquals absent', 'NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', '5', NONE, false],
  // Date (ISO 8601 and epoch seconds, mixed)
  ['ok/DateEquals ISO vs epoch', 'DateEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', { 'aws:CurrentTime': '1704067200' }, true],
  ['ok/DateEquals offset form', 'DateEquals', 'aws:CurrentTime', '2024-01-01T01:00:00+01:00', { 'aws:CurrentTime': '2024-01-01T00:00:00Z' }, true],
  ['fail/DateEquals mismatch', 'DateEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', { 'aws:CurrentTime': '2024-01-01T00:00:01Z' }, false],
  ['fail/DateEquals not a date', 'DateEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', { 'aws:CurrentTime': 'yesterday' }, false],
  ['fail/DateEquals absent', 'DateEquals', 'aws:CurrentTime', '2024-01-01', NONE, false],
  ['ok/DateEqualsIfExists absent', 'DateEqualsIfExists', 'aws:CurrentTime', '2024-01-01', NONE, true],
  ['ok/DateNotEquals', 'DateNotEquals', 'aws:CurrentTime', '2024-01-01', { 'aws:CurrentTime': '2024-01-02T00:00:00Z' }, true],
  ['fail/DateNotEquals equal', 'DateNotEquals', 'aws:CurrentTime', '2024-01-01', { 'aws:CurrentTime': '2024-01-01T00:00:00Z' }, false],
  ['ok/DateNotEquals absent', 'DateNotEquals', 'aws:CurrentTime', '2024-01-01', NONE, true],
  ['ok/DateLessThan', 'DateLessThan', 'aws:CurrentTime', '2025-01-01T00:00:00Z', { 'aws:CurrentTime': '2024-06-01T12:00:00Z' }, true],
  ['fail/DateLessThan later', 'DateLessThan', 'aws:CurrentTime', '2024-01-01T00:00:00Z', { 'aws:CurrentTime': '2024-06-01T12:00:00Z' }, false],
  ['ok/DateLessThanEquals equal', 'DateLessThanEquals', 'aws:EpochTime', '1704067200', { 'aws:EpochTime': '1704067200' }, true],
  ['fail/DateLessThanEquals later', 'DateLessThanEquals', 'aws:EpochTime', '1704067200', { 'aws:EpochTime': '1704067201' }, false],
  ['ok/DateGreaterThan', 'DateGreaterThan', 'aws:CurrentTime', '2024-01-01', { 'aws:CurrentTime': '2024-01-01T00:00:01Z' }, true],
  ['fail/DateGreaterThan equal', 'DateGreaterThan', 'aws:CurrentTime', '2024-01-01', { 'aws:CurrentTime': '2024-01-01T00:00:00Z' }, false],
  ['ok/DateGreaterThanEquals equal', 'DateGreaterThanEquals', 'aws:CurrentTime', '2024-01-01', { 'aws:CurrentTime': '2024-01-01T00:00:00.000Z' }, true],
  ['fail/DateGreaterThanEquals earlier', 'DateGreaterThanEquals', 'aws:CurrentTime', '2024-01-01', { 'aws:CurrentTime': '2023-12-31T23:59:59Z' }, false],
  ['fail/DateGreaterThanEquals absent', 'DateGreaterThanEquals', 'aws:CurrentTime', '2024-01-01', NONE, false],
  ['ok/DateGreaterThanIfExists absent', 'DateGreaterThanIfExists', 'aws:CurrentTime', '2024-01-01', NONE, true],
  // Bool
  ['ok/Bool true', 'Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'true' }, true],
  ['ok/Bool JSON boolean and case-insensitive', 'Bool', 'aws:SecureTransport', true, { 'aws:SecureTransport': 'TRUE' }, true],
  ['fail/Bool mismatch', 'Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'false' }, false],
  ['fail/Bool non-boolean value', 'Bool', 'aws:SecureTransport', 'yes', { 'aws:SecureTransport': 'yes' }, false],
  ['fail/Bool absent', 'Bool', 'aws:SecureTransport', 'true', NONE, false],
  ['ok/BoolIfExists absent', 'BoolIfExists', 'aws:SecureTransport', 'true', NONE, true],
  // Binary (base64)
  ['ok/BinaryEquals', 'BinaryEquals', 'svc:blob', 'QmluYXJ5VmFsdWU=', { 'svc:blob': 'QmluYXJ5VmFsdWU=' }, true],
  ['fail/BinaryEquals mismatch', 'BinaryEquals', 'svc:blob', 'QmluYXJ5VmFsdWU=', { 'svc:blob': 'T3RoZXI=' }, false],
  ['fail/BinaryEquals invalid base64', 'BinaryEquals', 'svc:blob', 'not base64!', { 'svc:blob': 'not base64!' }, false],
  ['fail/BinaryEquals absent', 'BinaryEquals', 'svc:blob', 'QQ==', NONE, false],
  ['ok/BinaryEqualsIfExists absent', 'BinaryEqualsIfExists', 'svc:blob', 'QQ==', NONE, true],
  // IP addresses
  ['ok/IpAddress IPv4 CIDR', 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.113.77' }, true],
  ['fail/IpAddress IPv4 outside', 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.114.1' }, false],
  ['ok/IpAddress bare address', 'IpAddress', 'aws:SourceIp', '127.0.0.1', { 'aws:SourceIp': '127.0.0.1' }, true],
  ['ok/IpAddress /0 matches every IPv4', 'IpAddress', 'aws:SourceIp', '0.0.0.0/0', { 'aws:SourceIp': '8.8.8.8' }, true],
  ['ok/IpAddress IPv6 CIDR', 'IpAddress', 'aws:SourceIp', '2001:DB8:1234:5678::/64', { 'aws:SourceIp': '2001:db8:1234:5678:0:0:0:1' }, true],
  ['fail/IpAddress IPv6 outside', 'IpAddress', 'aws:SourceIp', '2001:DB8:1234:5678::/64', { 'aws:SourceIp': '2001:db8:1234:5679::1' }, false],
  ['ok/IpAddress IPv6 with embedded IPv4', 'IpAddress', 'aws:SourceIp', '::ffff:10.0.0.0/104', { 'aws:SourceIp': '::ffff:10.1.2.3' }, true],
  ['fail/IpAddress IPv4 vs IPv6 block', 'IpAddress', 'aws:SourceIp', '::/0', { 'aws:SourceIp': '10.0.0.1' }, false],
  ['fail/IpAddress malformed address', 'IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '10.0.0.256' }, false],
  ['fail/IpAddress absent', 'IpAddress', 'aws:SourceIp', '10.0.0.0/8', NONE, false],
  ['ok/IpAddressIfExists absent', 'IpAddressIfExists', 'aws:SourceIp', '10.0.0.0/8', NONE, true],
  ['ok/NotIpAddress outside', 'NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '192.168.0.1' }, true],
  ['fail/NotIpAddress inside', 'NotIpAddress', 'aws:SourceIp', ['192.168.0.0/16', '10.0.0.0/8'], { 'aws:SourceIp': '10.9.9.9' }, false],
  ['ok/NotIpAddress absent', 'NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', NONE, true],
  // ARN
  ['ok/ArnEquals exact', 'ArnEquals', 'aws:SourceArn', 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/TA', { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/TA' }, true],
  ['ok/ArnEquals wildcard per segment', 'ArnEquals', 'aws:SourceArn', 'arn:aws:rolesanywhere:*:123456789012:trust-anchor/*', { 'aws:SourceArn': 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/x' }, true],
  ['fail/ArnEquals mismatch', 'ArnEquals', 'aws:SourceArn', 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/TA', { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/TB' }, false],
  ['fail/ArnEquals absent', 'ArnEquals', 'aws:SourceArn', 'arn:aws:s3:::b', NONE, false],
  ['ok/ArnEqualsIfExists absent', 'ArnEqualsIfExists', 'aws:SourceArn', 'arn:aws:s3:::b', NONE, true],
  ['ok/ArnLike region wildcard', 'ArnLike', 'aws:SourceArn', 'arn:aws:rolesanywhere:*:123456789012:*', { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p' }, true],
  ['fail/ArnLike star does not cross segments', 'ArnLike', 'aws:SourceArn', 'arn:aws:*:123456789012:x', { 'aws:SourceArn': 'arn:aws:s3:us-east-1:123456789012:x' }, false],
  ['fail/ArnLike account differs', 'ArnLike', 'aws:SourceArn', 'arn:aws:rolesanywhere:*:111111111111:*', { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p' }, false],
  ['ok/ArnLike resource part keeps colons', 'ArnLike', 'aws:SourceArn', 'arn:aws:logs:*:*:log-group:g:*', { 'aws:SourceArn': 'arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s' }, true],
  ['fail/ArnLike policy value with fewer than six parts', 'ArnLike', 'aws:SourceArn', 'arn:aws:s3', { 'aws:SourceArn': 'arn:aws:s3:::b' }, false],
  ['fail/ArnLike context not an ARN', 'ArnLike', 'aws:SourceArn', '*:*:*:*:*:*', { 'aws:SourceArn': 'a:b:c:d:e:f' }, false],
  ['fail/ArnLike is case-sensitive', 'ArnLike', 'aws:SourceArn', 'arn:aws:s3:::B*', { 'aws:SourceArn': 'arn:aws:s3:::bucket' }, false],
  ['ok/ArnLikeIfExists absent', 'ArnLikeIfExists', 'aws:SourceArn', 'arn:aws:s3:::b', NONE, true],
  ['ok/ArnNotEquals mismatch', 'ArnNotEquals', 'aws:SourceArn', 'arn:aws:s3:::a', { 'aws:SourceArn': 'arn:aws:s3:::b' }, true],
  ['fail/ArnNotEquals match', 'ArnNotEquals', 'aws:SourceArn', 'arn:aws:s3:::a', { 'aws:SourceArn': 'arn:aws:s3:::a' }, false],
  ['ok/ArnNotEquals absent', 'ArnNotEquals', 'aws:SourceArn', 'arn:aws:s3:::a', NONE, true],
  ['ok/ArnNotLike mismatch', 'ArnNotLike', 'aws:SourceArn', 'arn:aws:s3:::a*', { 'aws:SourceArn': 'arn:aws:s3:::b' }, true],
  ['fail/ArnNotLike match', 'ArnNotLike', 'aws:SourceArn', 'arn:aws:s3:::a*', { 'aws:SourceArn': 'arn:aws:s3:::abc' }, false],
  ['ok/ArnNotLike absent', 'ArnNotLike', 'aws:SourceArn', 'arn:aws:s3:::a*', NONE, true],
  // Null
  ['ok/Null true with absent key', 'Null', 'aws:TokenIssueTime', 'true', NONE, true],
  ['fail/Null true with present key', 'Null', 'aws:TokenIssueTime', 'true', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }, false],
  ['ok/Null false with present key', 'Null', 'aws:TokenIssueTime', 'false', { 'aws:TokenIssueTime': 'x' }, true],
  ['fail/Null false with absent key', 'Null', 'aws:TokenIssueTime', false, NONE, false],
  ['ok/Null true with empty multi-valued key', 'Null', 'aws:TagKeys', 'true', { 'aws:TagKeys': [] }, true],
  // Key lookup is case-insensitive; values are not.
  ['ok/condition key lookup is case-insensitive', 'StringEquals', 'AWS:principaltag/TEAM', 'blue', { [T]: 'blue' }, true],
];

// Set qualifiers over the multi-valued aws:TagKeys.
const K = 'aws:TagKeys';
const setRows: Row[] = [
  ['ok/ForAnyValue:StringEquals one value matches', 'ForAnyValue:StringEquals', K, ['a', 'z'], { [K]: ['a', 'b'] }, true],
  ['fail/ForAnyValue:StringEquals none match', 'ForAnyValue:StringEquals', K, ['y', 'z'], { [K]: ['a', 'b'] }, false],
  ['fail/ForAnyValue:StringEquals absent key', 'ForAnyValue:StringEquals', K, ['a'], NONE, false],
  ['fail/ForAnyValue:StringEquals empty key', 'ForAnyValue:StringEquals', K, ['a'], { [K]: [] }, false],
  ['ok/ForAnyValue:StringLikeIfExists absent key', 'ForAnyValue:StringLikeIfExists', K, ['a*'], NONE, true],
  ['ok/ForAllValues:StringEquals subset', 'ForAllValues:StringEquals', K, ['a', 'b', 'c'], { [K]: ['a', 'b'] }, true],
  ['fail/ForAllValues:StringEquals one outside', 'ForAllValues:StringEquals', K, ['a', 'c'], { [K]: ['a', 'b'] }, false],
  ['ok/ForAllValues:StringEquals absent key is true', 'ForAllValues:StringEquals', K, ['a'], NONE, true],
  ['ok/ForAllValues:StringEquals empty key is true', 'ForAllValues:StringEquals', K, ['a'], { [K]: [] }, true],
  ['ok/ForAllValues:StringLike wildcards', 'ForAllValues:StringLike', K, ['x509*'], { [K]: ['x509Subject/CN', 'x509Issuer/O'] }, true],
  ['ok/ForAnyValue:StringNotEquals some value outside', 'ForAnyValue:StringNotEquals', K, ['a'], { [K]: ['a', 'b'] }, true],
  ['fail/ForAllValues:StringNotEquals a value inside', 'ForAllValues:StringNotEquals', K, ['a'], { [K]: ['a', 'b'] }, false],
  ['ok/ForAllValues:StringNotEquals none inside', 'ForAllValues:StringNotEquals', K, ['z'], { [K]: ['a', 'b'] }, true],
  ['ok/ForAnyValue:StringEqualsIgnoreCase', 'ForAnyValue:StringEqualsIgnoreCase', K, ['B'], { [K]: ['a', 'b'] }, true],
  // Without a set qualifier a multi-valued key behaves like ForAnyValue (documented choice).
  ['ok/StringEquals on multi-valued key: any value', 'StringEquals', K, 'b', { [K]: ['a', 'b'] }, true],
  ['fail/StringEquals on multi-valued key: no value', 'StringEquals', K, 'c', { [K]: ['a', 'b'] }, false],
  ['fail/StringEquals on empty multi-valued key', 'StringEquals', K, 'c', { [K]: [] }, false],
  ['ok/StringNotEquals on empty multi-valued key', 'StringNotEquals', K, 'c', { [K]: [] }, true],
];

for (const [name, operator, key, values, context, expected] of [...rows, ...setRows]) {
  test(name, () => {
    assert.equal(conditionHolds(operator, key, values, context), expected);
  });
}

test('ok/multiple keys and operators are AND-ed', () => {
  const ctx = { [T]: 'blue', 'aws:SourceIp': '10.0.0.1' };
  assert.equal(conditionHoldsMany({ StringEquals: { [T]: 'blue' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, ctx), true);
  assert.equal(conditionHoldsMany({ StringEquals: { [T]: 'blue' }, IpAddress: { 'aws:SourceIp': '11.0.0.0/8' } }, ctx), false);
  assert.equal(conditionHoldsMany({ StringEquals: { [T]: 'blue', 'aws:username': 'x' } }, ctx), false);
});

function conditionHoldsMany(condition: unknown, context: Record<string, ContextValue>): boolean {
  const policy = parseOk({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: condition } });
  return evaluatePolicies([policy], { action: 'a:b', resource: 'arn:aws:s3:::x', context }).decision === 'allow';
}
