#!/usr/bin/env python3
"""Regenerates x509-vectors.json from x509-rsa-key.pem / x509-rsa-cert.pem.

The expected values come from code that is independent of @mooring/protocol: botocore's
SigV4Auth.canonical_request builds the canonical request, and `openssl dgst -sha256 -sign`
produces the RSASSA-PKCS1-v1_5 signature (deterministic, so the vector is stable).
Run from this directory: python3 make-x509-vectors.py
"""
import base64, hashlib, json, subprocess
from urllib.parse import parse_qsl
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = 'us-east-1'
AMZ_DATE = '20240102T030405Z'
ALG = 'AWS4-X509-RSA-SHA256'
HOST = 'rolesanywhere.us-east-1.amazonaws.com'
QUERY = ('profileArn=arn%3Aaws%3Arolesanywhere%3Aus-east-1%3A000000000000%3Aprofile%2Fpppp'
         '&roleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2FExampleRole'
         '&trustAnchorArn=arn%3Aaws%3Arolesanywhere%3Aus-east-1%3A000000000000%3Atrust-anchor%2Ftttt')
BODY = '{"durationSeconds":3600}'
# Headers as the Go helper (>= 1.5.0) has them before its signer runs (signing-helper-spec §2.1).
HEADERS = {
    'Host': HOST,
    'Content-Type': 'application/json',
    'Amz-Sdk-Invocation-Id': '3f1b9a52-8c7e-4d2a-9b1e-5a6c7d8e9f01',
    'Amz-Sdk-Request': 'attempt=1; max=3',
    'User-Agent': 'CredHelper/1.8.0 (go1.24.13; linux; amd64)',
}

cert_der = subprocess.run(['openssl', 'x509', '-in', 'x509-rsa-cert.pem', '-outform', 'DER'],
                          check=True, capture_output=True).stdout
serial = subprocess.run(['openssl', 'x509', '-in', 'x509-rsa-cert.pem', '-noout', '-serial'],
                        check=True, capture_output=True, text=True).stdout.strip().split('=')[1]
serial_decimal = str(int(serial, 16))
cert_b64 = base64.b64encode(cert_der).decode()

signed = dict(HEADERS, **{'X-Amz-Date': AMZ_DATE, 'X-Amz-X509': cert_b64})
req = AWSRequest(method='POST', url=f'https://{HOST}/sessions', headers=signed, data=BODY.encode())
req.params = parse_qsl(QUERY, keep_blank_values=True)
auth = SigV4Auth(Credentials('unused', 'unused'), 'rolesanywhere', REGION)
canonical_request = auth.canonical_request(req)
signed_headers = auth.signed_headers(auth.headers_to_sign(req))
scope = f'{AMZ_DATE[:8]}/{REGION}/rolesanywhere/aws4_request'
string_to_sign = '\n'.join([ALG, AMZ_DATE, scope, hashlib.sha256(canonical_request.encode()).hexdigest()])
signature = subprocess.run(['openssl', 'dgst', '-sha256', '-sign', 'x509-rsa-key.pem'],
                           input=string_to_sign.encode(), check=True, capture_output=True).stdout.hex()
authorization = f'{ALG} Credential={serial_decimal}/{scope}, SignedHeaders={signed_headers}, Signature={signature}'

vector = {
    'description': 'CreateSession as sent by aws_signing_helper >= 1.5.0, signing-helper-spec §2.7',
    'keyFile': 'x509-rsa-key.pem',
    'certFile': 'x509-rsa-cert.pem',
    'date': '2024-01-02T03:04:05Z',
    'region': REGION,
    'serialDecimal': serial_decimal,
    'request': {'method': 'POST', 'path': '/sessions', 'query': QUERY, 'headers': HEADERS, 'body': BODY},
    'expected': {
        'xAmzDate': AMZ_DATE,
        'xAmzX509': cert_b64,
        'canonicalRequest': canonical_request,
        'stringToSign': string_to_sign,
        'authorization': authorization,
    },
}
with open('x509-vectors.json', 'w') as f:
    json.dump([vector], f, indent=2)
    f.write('\n')
print(authorization)
