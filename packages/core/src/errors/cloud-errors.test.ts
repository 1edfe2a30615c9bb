import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error.js';
import { classifyHttpError, classifyStreamError } from './classify-http-error.js';

describe('cloud error tables', () => {
  it('bedrock: the type comes from x-amzn-errortype (the body has only a message)', () => {
    const h = (t: string) => ({ 'x-amzn-errortype': `${t}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
    const body = JSON.stringify({ message: 'Too many requests, please wait before trying again.' });
    const t = classifyHttpError('bedrock', 429, body, h('ThrottlingException'));
    expect(t).toMatchObject({ errorClass: 'rate_limited', providerCode: 'ThrottlingException', retryable: true });
    expect(classifyHttpError('bedrock', 429, '{"message":"x"}', h('ModelNotReadyException')).errorClass).toBe(
      'overloaded',
    );
    expect(
      classifyHttpError(
        'bedrock',
        400,
        '{"message":"Input is too long for requested model."}',
        h('ValidationException'),
      ).errorClass,
    ).toBe('context_length');
    expect(classifyHttpError('bedrock', 400, '{"message":"bad"}', h('ValidationException')).errorClass).toBe(
      'bad_request',
    );
    expect(classifyHttpError('bedrock', 403, '{"message":"x"}', h('AccessDeniedException')).errorClass).toBe(
      'permission',
    );
    expect(classifyHttpError('bedrock', 403, '{"message":"x"}', h('InvalidSignatureException')).errorClass).toBe(
      'auth',
    );
  });

  it('bedrock: an in-stream exception frame (lowerCamel type) classifies like its HTTP twin', () => {
    const info = classifyStreamError('bedrock', { __type: 'throttlingException', message: 'slow' });
    expect(info.errorClass).toBe('rate_limited');
  });

  it('azure: content_filter with innererror → content_filter, the top-level code first', () => {
    const body = {
      error: { code: 'content_filter', message: 'filtered', innererror: { code: 'ResponsibleAIPolicyViolation' } },
    };
    const info = classifyHttpError('azure-openai', 400, body);
    expect(info).toMatchObject({
      errorClass: 'content_filter',
      providerCode: 'content_filter',
      fallbackEligible: false,
    });
    expect(
      classifyHttpError('azure-openai', 404, { error: { code: 'DeploymentNotFound', message: 'x' } }).errorClass,
    ).toBe('not_found');
  });

  it('vertex: Google RPC bodies and Claude’s Anthropic bodies', () => {
    expect(
      classifyHttpError('vertex', 429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'q' } }).errorClass,
    ).toBe('rate_limited');
    expect(
      classifyHttpError('vertex', 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })
        .errorClass,
    ).toBe('overloaded');
  });

  it('AWS SDK exceptions (thrown by the Bedrock runtime client) are classified by name and status', () => {
    const aws = (name: string, status?: number) =>
      Object.assign(new Error('m'), { name, $fault: 'client', $metadata: status ? { httpStatusCode: status } : {} });
    expect(classifyError(aws('ThrottlingException', 429), 'bedrock')).toMatchObject({
      errorClass: 'rate_limited',
      status: 429,
      providerCode: 'ThrottlingException',
    });
    expect(classifyError(aws('AccessDeniedException', 403))).toMatchObject({ errorClass: 'permission', status: 403 });
    // An exception frame inside an event stream has no HTTP status of its own.
    expect(classifyError(aws('ModelStreamErrorException'), 'bedrock').errorClass).toBe('upstream_5xx');
    // Another provider's client is not read as AWS.
    expect(classifyError(aws('ThrottlingException', 429), 'openai').errorClass).toBe('unknown');
  });
});
