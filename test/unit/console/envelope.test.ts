/**
 * The console shows every failure as the envelope's own words (console/src/api.ts): one reader
 * for the families' envelopes, checked against the shapes the API answers.
 */
import { describe, expect, it } from 'vitest';
import { envelopeError } from '../../../console/src/envelope';

describe('envelopeError', () => {
  it('reads each family envelope', () => {
    expect(envelopeError({ error_code: 216681, error_msg: 'item has existed', log_id: 1 }, 200)).toMatchObject({ message: 'item has existed', code: 216681, status: 200 });
    expect(envelopeError({ error_code: 'FRS.0302', error_msg: 'face set x does not exist' }, 400)).toMatchObject({ message: 'face set x does not exist', code: 'FRS.0302' });
    expect(envelopeError({ error_code: 'ModelArts.4352', error_msg: 'dataset not found' }, 404)).toMatchObject({ code: 'ModelArts.4352' });
    expect(envelopeError({ error: { code: 401, message: 'the username or password is wrong', title: 'Unauthorized' } }, 401)).toMatchObject({ message: 'the username or password is wrong' });
    expect(envelopeError({ error: 'invalid_client', error_description: 'unknown client id' }, 401)).toMatchObject({ message: 'unknown client id', code: 'invalid_client' });
    // Predict refusals come with HTTP 200.
    expect(envelopeError({ code: 10440, message: 'not a JPG or PNG' }, 200)).toMatchObject({ message: 'not a JPG or PNG', code: 10440 });
  });

  it('passes successes, including Baidu answers with HTTP 200 and predict code 10000', () => {
    expect(envelopeError({ cont_sign: '1,2', log_id: 3 }, 200)).toBeNull();
    expect(envelopeError({ error_code: 0, result: [] }, 200)).toBeNull();
    expect(envelopeError({ code: 10000, predictResult: {} }, 200)).toBeNull();
    expect(envelopeError(undefined, 204)).toBeNull();
    expect(envelopeError(undefined, 502)).toMatchObject({ message: 'HTTP 502' });
  });
});
