import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inSlot } from './slot-names';

describe('inSlot', () => {
  it("keeps the project's own volume names and gives the networks the slot's", () => {
    const checked = {
      name: 'td_o_p',
      services: { web: { image: 'app', networks: { default: null, back: null } } },
      volumes: { data: { name: 'td_o_p_data' }, cache: null },
      networks: { default: { name: 'td_o_p_default' }, back: {} },
    };
    assert.deepEqual(inSlot(checked, 'td_o_p', 'td_o--b_p'), {
      name: 'td_o--b_p',
      services: checked.services,
      volumes: { data: { name: 'td_o_p_data' }, cache: { name: 'td_o_p_cache' } },
      networks: { default: { name: 'td_o--b_p_default' }, back: { name: 'td_o--b_p_back' } },
    });
  });

  it('adds no keys compose v1 does not render (a top-level name, empty volumes or networks)', () => {
    const checked = { services: { web: { image: 'app' } } };
    assert.deepEqual(inSlot(checked, 'td_o_p', 'td_o--b_p'), checked);
  });
});
