import { describe, expect, it } from 'vitest';
import { createLabelCap, createRouteLabels, statusClass } from './label-cap.js';

describe('createLabelCap', () => {
  it('passes the first N distinct values and collapses the rest to other', () => {
    const cap = createLabelCap(2);
    expect(cap.label('a')).toBe('a');
    expect(cap.label('b')).toBe('b');
    expect(cap.label('c')).toBe('other');
    expect(cap.label('a')).toBe('a');
    expect(cap.size()).toBe(2);
  });
});

describe('createRouteLabels', () => {
  it('labels only configured routes and follows a reload', () => {
    const routes = createRouteLabels(['fast', 'openai/gpt-4o']);
    expect(routes.label('fast')).toBe('fast');
    expect(routes.label('anything-a-client-sent')).toBe('other');
    routes.set(['slow']);
    expect(routes.label('fast')).toBe('other');
    expect(routes.label('slow')).toBe('slow');
  });
});

describe('statusClass', () => {
  it('maps statuses to classes', () => {
    expect(statusClass(200)).toBe('2xx');
    expect(statusClass(429)).toBe('4xx');
    expect(statusClass(503)).toBe('5xx');
    expect(statusClass(0)).toBe('other');
  });
});
