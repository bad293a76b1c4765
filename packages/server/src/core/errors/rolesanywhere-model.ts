/**
 * The input half of the botocore rolesanywhere model (2018-05-10): every operation's HTTP binding
 * and every shape its input reaches, with documentation stripped and nothing else changed.
 * This is the ONE constraint table for the control plane (issue 3 item 2): validate-input.ts
 * walks it to produce Coral messages, the routes take their method/path/status from it, and
 * test/control-plane/model-schema.test.ts checks it against the installed model byte for byte.
 * Regenerate, never hand-edit.
 */
export interface ModelMember { shape: string; location?: 'uri' | 'querystring' | 'header'; locationName?: string }
export interface ModelShape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'boolean' | 'blob' | 'timestamp';
  required?: string[];
  members?: Record<string, ModelMember>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  union?: boolean;
  sensitive?: boolean;
}
export interface ModelOperation { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; requestUri: string; responseCode: number; input: string; output: string }

export const MODEL_OPERATIONS: Readonly<Record<string, ModelOperation>> = {
  CreateProfile: {method: 'POST', requestUri: '/profiles', responseCode: 201, input: 'CreateProfileRequest', output: 'ProfileDetailResponse'},
  CreateTrustAnchor: {method: 'POST', requestUri: '/trustanchors', responseCode: 201, input: 'CreateTrustAnchorRequest', output: 'TrustAnchorDetailResponse'},
  DeleteAttributeMapping: {method: 'DELETE', requestUri: '/profiles/{profileId}/mappings', responseCode: 200, input: 'DeleteAttributeMappingRequest', output: 'DeleteAttributeMappingResponse'},
  DeleteCrl: {method: 'DELETE', requestUri: '/crl/{crlId}', responseCode: 200, input: 'ScalarCrlRequest', output: 'CrlDetailResponse'},
  DeleteProfile: {method: 'DELETE', requestUri: '/profile/{profileId}', responseCode: 200, input: 'ScalarProfileRequest', output: 'ProfileDetailResponse'},
  DeleteTrustAnchor: {method: 'DELETE', requestUri: '/trustanchor/{trustAnchorId}', responseCode: 200, input: 'ScalarTrustAnchorRequest', output: 'TrustAnchorDetailResponse'},
  DisableCrl: {method: 'POST', requestUri: '/crl/{crlId}/disable', responseCode: 200, input: 'ScalarCrlRequest', output: 'CrlDetailResponse'},
  DisableProfile: {method: 'POST', requestUri: '/profile/{profileId}/disable', responseCode: 200, input: 'ScalarProfileRequest', output: 'ProfileDetailResponse'},
  DisableTrustAnchor: {method: 'POST', requestUri: '/trustanchor/{trustAnchorId}/disable', responseCode: 200, input: 'ScalarTrustAnchorRequest', output: 'TrustAnchorDetailResponse'},
  EnableCrl: {method: 'POST', requestUri: '/crl/{crlId}/enable', responseCode: 200, input: 'ScalarCrlRequest', output: 'CrlDetailResponse'},
  EnableProfile: {method: 'POST', requestUri: '/profile/{profileId}/enable', responseCode: 200, input: 'ScalarProfileRequest', output: 'ProfileDetailResponse'},
  EnableTrustAnchor: {method: 'POST', requestUri: '/trustanchor/{trustAnchorId}/enable', responseCode: 200, input: 'ScalarTrustAnchorRequest', output: 'TrustAnchorDetailResponse'},
  GetCrl: {method: 'GET', requestUri: '/crl/{crlId}', responseCode: 200, input: 'ScalarCrlRequest', output: 'CrlDetailResponse'},
  GetProfile: {method: 'GET', requestUri: '/profile/{profileId}', responseCode: 200, input: 'ScalarProfileRequest', output: 'ProfileDetailResponse'},
  GetSubject: {method: 'GET', requestUri: '/subject/{subjectId}', responseCode: 200, input: 'ScalarSubjectRequest', output: 'SubjectDetailResponse'},
  GetTrustAnchor: {method: 'GET', requestUri: '/trustanchor/{trustAnchorId}', responseCode: 200, input: 'ScalarTrustAnchorRequest', output: 'TrustAnchorDetailResponse'},
  ImportCrl: {method: 'POST', requestUri: '/crls', responseCode: 201, input: 'ImportCrlRequest', output: 'CrlDetailResponse'},
  ListCrls: {method: 'GET', requestUri: '/crls', responseCode: 200, input: 'ListRequest', output: 'ListCrlsResponse'},
  ListProfiles: {method: 'GET', requestUri: '/profiles', responseCode: 200, input: 'ListRequest', output: 'ListProfilesResponse'},
  ListSubjects: {method: 'GET', requestUri: '/subjects', responseCode: 200, input: 'ListRequest', output: 'ListSubjectsResponse'},
  ListTagsForResource: {method: 'GET', requestUri: '/ListTagsForResource', responseCode: 200, input: 'ListTagsForResourceRequest', output: 'ListTagsForResourceResponse'},
  ListTrustAnchors: {method: 'GET', requestUri: '/trustanchors', responseCode: 200, input: 'ListRequest', output: 'ListTrustAnchorsResponse'},
  PutAttributeMapping: {method: 'PUT', requestUri: '/profiles/{profileId}/mappings', responseCode: 200, input: 'PutAttributeMappingRequest', output: 'PutAttributeMappingResponse'},
  PutNotificationSettings: {method: 'PATCH', requestUri: '/put-notifications-settings', responseCode: 200, input: 'PutNotificationSettingsRequest', output: 'PutNotificationSettingsResponse'},
  ResetNotificationSettings: {method: 'PATCH', requestUri: '/reset-notifications-settings', responseCode: 200, input: 'ResetNotificationSettingsRequest', output: 'ResetNotificationSettingsResponse'},
  TagResource: {method: 'POST', requestUri: '/TagResource', responseCode: 201, input: 'TagResourceRequest', output: 'TagResourceResponse'},
  UntagResource: {method: 'POST', requestUri: '/UntagResource', responseCode: 200, input: 'UntagResourceRequest', output: 'UntagResourceResponse'},
  UpdateCrl: {method: 'PATCH', requestUri: '/crl/{crlId}', responseCode: 200, input: 'UpdateCrlRequest', output: 'CrlDetailResponse'},
  UpdateProfile: {method: 'PATCH', requestUri: '/profile/{profileId}', responseCode: 200, input: 'UpdateProfileRequest', output: 'ProfileDetailResponse'},
  UpdateTrustAnchor: {method: 'PATCH', requestUri: '/trustanchor/{trustAnchorId}', responseCode: 200, input: 'UpdateTrustAnchorRequest', output: 'TrustAnchorDetailResponse'},
};

export const MODEL_SHAPES: Readonly<Record<string, ModelShape>> = {
  AmazonResourceName: {type: 'string', min: 1, max: 1011},
  Boolean: {type: 'boolean'},
  CertificateField: {type: 'string', enum: ['x509Subject','x509Issuer','x509SAN']},
  CreateProfileRequest: {type: 'structure', required: ['name','roleArns'], members: {name: {shape: 'ResourceName'}, requireInstanceProperties: {shape: 'Boolean'}, sessionPolicy: {shape: 'String'}, roleArns: {shape: 'RoleArnList'}, managedPolicyArns: {shape: 'ManagedPolicyList'}, durationSeconds: {shape: 'CreateProfileRequestDurationSecondsInteger'}, enabled: {shape: 'Boolean'}, tags: {shape: 'TagList'}, acceptRoleSessionName: {shape: 'Boolean'}}},
  CreateProfileRequestDurationSecondsInteger: {type: 'integer', min: 900, max: 43200},
  CreateTrustAnchorRequest: {type: 'structure', required: ['name','source'], members: {name: {shape: 'ResourceName'}, source: {shape: 'Source'}, enabled: {shape: 'Boolean'}, tags: {shape: 'TagList'}, notificationSettings: {shape: 'NotificationSettings'}}},
  DeleteAttributeMappingRequest: {type: 'structure', required: ['profileId','certificateField'], members: {profileId: {shape: 'Uuid', location: 'uri', locationName: 'profileId'}, certificateField: {shape: 'CertificateField', location: 'querystring', locationName: 'certificateField'}, specifiers: {shape: 'SpecifierList', location: 'querystring', locationName: 'specifiers'}}},
  ImportCrlRequest: {type: 'structure', required: ['name','crlData','trustAnchorArn'], members: {name: {shape: 'ResourceName'}, crlData: {shape: 'ImportCrlRequestCrlDataBlob'}, enabled: {shape: 'Boolean'}, tags: {shape: 'TagList'}, trustAnchorArn: {shape: 'TrustAnchorArn'}}},
  ImportCrlRequestCrlDataBlob: {type: 'blob', min: 1, max: 300000},
  Integer: {type: 'integer'},
  ListRequest: {type: 'structure', members: {nextToken: {shape: 'ListRequestNextTokenString', location: 'querystring', locationName: 'nextToken'}, pageSize: {shape: 'Integer', location: 'querystring', locationName: 'pageSize'}}},
  ListRequestNextTokenString: {type: 'string', min: 1, max: 10000},
  ListTagsForResourceRequest: {type: 'structure', required: ['resourceArn'], members: {resourceArn: {shape: 'AmazonResourceName', location: 'querystring', locationName: 'resourceArn'}}},
  ManagedPolicyList: {type: 'list', member: {shape: 'ManagedPolicyListMemberString'}, min: 0, max: 50},
  ManagedPolicyListMemberString: {type: 'string', min: 1, max: 200},
  MappingRule: {type: 'structure', required: ['specifier'], members: {specifier: {shape: 'MappingRuleSpecifierString'}}},
  MappingRuleSpecifierString: {type: 'string', min: 0, max: 60},
  MappingRules: {type: 'list', member: {shape: 'MappingRule'}},
  NotificationChannel: {type: 'string', enum: ['ALL']},
  NotificationEvent: {type: 'string', enum: ['CA_CERTIFICATE_EXPIRY','END_ENTITY_CERTIFICATE_EXPIRY']},
  NotificationSetting: {type: 'structure', required: ['enabled','event'], members: {enabled: {shape: 'Boolean'}, event: {shape: 'NotificationEvent'}, threshold: {shape: 'NotificationSettingThresholdInteger'}, channel: {shape: 'NotificationChannel'}}},
  NotificationSettingKey: {type: 'structure', required: ['event'], members: {event: {shape: 'NotificationEvent'}, channel: {shape: 'NotificationChannel'}}},
  NotificationSettingKeys: {type: 'list', member: {shape: 'NotificationSettingKey'}, min: 0, max: 50},
  NotificationSettingThresholdInteger: {type: 'integer', min: 1, max: 360},
  NotificationSettings: {type: 'list', member: {shape: 'NotificationSetting'}, min: 0, max: 50},
  PutAttributeMappingRequest: {type: 'structure', required: ['profileId','certificateField','mappingRules'], members: {profileId: {shape: 'Uuid', location: 'uri', locationName: 'profileId'}, certificateField: {shape: 'CertificateField'}, mappingRules: {shape: 'MappingRules'}}},
  PutNotificationSettingsRequest: {type: 'structure', required: ['trustAnchorId','notificationSettings'], members: {trustAnchorId: {shape: 'Uuid'}, notificationSettings: {shape: 'NotificationSettings'}}},
  ResetNotificationSettingsRequest: {type: 'structure', required: ['trustAnchorId','notificationSettingKeys'], members: {trustAnchorId: {shape: 'Uuid'}, notificationSettingKeys: {shape: 'NotificationSettingKeys'}}},
  ResourceName: {type: 'string', min: 1, max: 255, pattern: '[ a-zA-Z0-9-_]*'},
  RoleArn: {type: 'string', min: 1, max: 1011, pattern: 'arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)'},
  RoleArnList: {type: 'list', member: {shape: 'RoleArn'}, min: 0, max: 250},
  ScalarCrlRequest: {type: 'structure', required: ['crlId'], members: {crlId: {shape: 'Uuid', location: 'uri', locationName: 'crlId'}}},
  ScalarProfileRequest: {type: 'structure', required: ['profileId'], members: {profileId: {shape: 'Uuid', location: 'uri', locationName: 'profileId'}}},
  ScalarSubjectRequest: {type: 'structure', required: ['subjectId'], members: {subjectId: {shape: 'Uuid', location: 'uri', locationName: 'subjectId'}}},
  ScalarTrustAnchorRequest: {type: 'structure', required: ['trustAnchorId'], members: {trustAnchorId: {shape: 'Uuid', location: 'uri', locationName: 'trustAnchorId'}}},
  Source: {type: 'structure', members: {sourceType: {shape: 'TrustAnchorType'}, sourceData: {shape: 'SourceData'}}},
  SourceData: {type: 'structure', members: {x509CertificateData: {shape: 'SourceDataX509CertificateDataString'}, acmPcaArn: {shape: 'String'}}, union: true},
  SourceDataX509CertificateDataString: {type: 'string', min: 1, max: 16000},
  SpecifierList: {type: 'list', member: {shape: 'String'}},
  String: {type: 'string'},
  Tag: {type: 'structure', required: ['key','value'], members: {key: {shape: 'TagKey'}, value: {shape: 'TagValue'}}},
  TagKey: {type: 'string', min: 1, max: 128, pattern: '[ a-zA-Z0-9_.:/=+@-]*', sensitive: true},
  TagKeyList: {type: 'list', member: {shape: 'TagKey'}, min: 0, max: 200},
  TagList: {type: 'list', member: {shape: 'Tag'}, min: 0, max: 200},
  TagResourceRequest: {type: 'structure', required: ['resourceArn','tags'], members: {resourceArn: {shape: 'AmazonResourceName'}, tags: {shape: 'TagList'}}},
  TagValue: {type: 'string', min: 0, max: 256, pattern: '[ a-zA-Z0-9_.:/=+@-]*', sensitive: true},
  TrustAnchorArn: {type: 'string', min: 1, max: 1011, pattern: 'arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:trust-anchor.*)'},
  TrustAnchorType: {type: 'string', enum: ['AWS_ACM_PCA','CERTIFICATE_BUNDLE','SELF_SIGNED_REPOSITORY']},
  UntagResourceRequest: {type: 'structure', required: ['resourceArn','tagKeys'], members: {resourceArn: {shape: 'AmazonResourceName'}, tagKeys: {shape: 'TagKeyList'}}},
  UpdateCrlRequest: {type: 'structure', required: ['crlId'], members: {crlId: {shape: 'Uuid', location: 'uri', locationName: 'crlId'}, name: {shape: 'ResourceName'}, crlData: {shape: 'UpdateCrlRequestCrlDataBlob'}}},
  UpdateCrlRequestCrlDataBlob: {type: 'blob', min: 1, max: 300000},
  UpdateProfileRequest: {type: 'structure', required: ['profileId'], members: {profileId: {shape: 'Uuid', location: 'uri', locationName: 'profileId'}, name: {shape: 'ResourceName'}, sessionPolicy: {shape: 'UpdateProfileRequestSessionPolicyString'}, roleArns: {shape: 'RoleArnList'}, managedPolicyArns: {shape: 'ManagedPolicyList'}, durationSeconds: {shape: 'UpdateProfileRequestDurationSecondsInteger'}, acceptRoleSessionName: {shape: 'Boolean'}}},
  UpdateProfileRequestDurationSecondsInteger: {type: 'integer', min: 900, max: 43200},
  UpdateProfileRequestSessionPolicyString: {type: 'string', min: 1, max: 100000},
  UpdateTrustAnchorRequest: {type: 'structure', required: ['trustAnchorId'], members: {trustAnchorId: {shape: 'Uuid', location: 'uri', locationName: 'trustAnchorId'}, name: {shape: 'ResourceName'}, source: {shape: 'Source'}}},
  Uuid: {type: 'string', min: 36, max: 36, pattern: '.*[a-f0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}.*'},
};
