/**
 * Erlang C against published calculator values, and stable where the factorial form is not.
 */
import { describe, expect, it } from 'vitest';
import { agentsFor, erlangB, erlangC, staffing } from './erlang.js';

describe('Erlang C', () => {
  it('matches the classic worked example: 360 calls per half hour, 240 s, 55 agents, 15 s', () => {
    // published: E_C 0.2387, average wait 8.184 s, 84.59% answered within 15 s (the "Erlang-C formula" page's
    // example, as reproduced with its figures in the Maxima erlang package's worked example)
    const s = staffing((360 / 1800) * 240, 55, 240, 15);
    expect(s.traffic).toBe(48);
    expect(s.waitProbability).toBeCloseTo(0.2387, 4);
    expect(s.asaSec).toBeCloseTo(8.184, 3);
    expect(s.serviceLevel).toBeCloseTo(0.8459, 4);
    expect(s.occupancy).toBeCloseTo(0.8727, 4);
  });

  it("matches the R ErlangC package's example: 100 calls in 30 min, 180 s, 20 s target", () => {
    // README of CRAN's ErlangC: 14 agents give wait probability 0.1741319, service level 0.88835, ASA 7.83593701
    // s, occupancy 0.7142857; 11 agents 0.6821182 and 0.3896138; 14 are needed for 80%
    const traffic = (100 / 1800) * 180;
    const fourteen = staffing(traffic, 14, 180, 20);
    expect(fourteen.waitProbability).toBeCloseTo(0.1741319, 7);
    expect(fourteen.serviceLevel).toBeCloseTo(0.88835, 5);
    expect(fourteen.asaSec).toBeCloseTo(7.835937, 5);
    expect(fourteen.occupancy).toBeCloseTo(0.7142857, 7);
    const eleven = staffing(traffic, 11, 180, 20);
    expect(eleven.waitProbability).toBeCloseTo(0.6821182, 7);
    expect(eleven.serviceLevel).toBeCloseTo(0.3896138, 7);
    expect(agentsFor(traffic, 180, 0.8, 20).agents).toBe(14);
  });

  it("matches pyworkforce's asserted staffing: 100 transactions per 30 min, AHT 3 min, 80% within 0.33 min", () => {
    // pyworkforce tests: raw positions 14, service level 0.888, occupancy 0.714, waiting probability 0.174
    const s = agentsFor((100 / 30) * 3, 3 * 60, 0.8, 0.33 * 60);
    expect(s.agents).toBe(14);
    expect(s.serviceLevel).toBeCloseTo(0.888, 3);
    expect(s.waitProbability).toBeCloseTo(0.174, 3);
  });

  it('stays finite and exact for hundreds of agents, where A^N / N! overflows', () => {
    // 1,000 Erlangs on 1,050 agents: 171! already overflows a double; the recursion keeps B in [0, 1]. The value
    // checked: the sum form computed in logarithms (lgamma) gives 0.07440177403742
    expect(erlangC(1000, 1050)).toBeCloseTo(0.07440177403742, 11);
    // Erlang B against its own definition for a small case: B(2, 1) = (1/2) / (1 + 1 + 1/2)
    expect(erlangB(1, 2)).toBeCloseTo(0.2, 12);
    // and C for 2 Erlangs on 3 agents is 4/9
    expect(erlangC(2, 3)).toBeCloseTo(4 / 9, 12);
    const big = agentsFor(1000, 300, 0.8, 20);
    expect(big.agents).toBeGreaterThan(1000);
    expect(big.agents).toBeLessThan(1060);
    expect(staffing(1000, big.agents - 1, 300, 20).serviceLevel).toBeLessThan(0.8);
  });

  it('says the agents cannot keep up when they are no more than the traffic', () => {
    const s = staffing(10, 10, 180, 20);
    expect(s).toMatchObject({ waitProbability: 1, serviceLevel: 0, asaSec: Number.POSITIVE_INFINITY, occupancy: 1 });
    expect(() => agentsFor(10, 180, 1, 20)).toThrow(/between 0 and 1/);
  });
});
