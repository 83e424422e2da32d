import { describe, expect, it } from 'vitest';
import { renderFoodReady } from './food-ready.js';
import { linksUnder } from './templates.js';

describe('the order-ready message', () => {
  const ready = { orderId: 'fo_1', visitorId: 'vis_1', pickupPoint: 'Poolside café counter', pickupPointAr: 'كاونتر مقهى المسبح' };

  it('names the pickup point in the language of the visitor', () => {
    expect(renderFoodReady(ready, 'Sara Ahmed', 'en')).toEqual({
      title: 'Your food is ready',
      body: 'Sara, your order is ready: collect it at the Poolside café counter.',
      sms: 'Venue Hub: your food order is ready. Collect it at the Poolside café counter.',
    });
    const ar = renderFoodReady(ready, 'سارة أحمد', 'ar');
    expect(ar.title).toBe('طلبك جاهز');
    expect(ar.body).toBe('سارة، طلبك من الطعام جاهز: استلمه من كاونتر مقهى المسبح.');
    expect(ar.sms).toContain('كاونتر مقهى المسبح');
    expect(ar.body).not.toContain('Poolside');
  });

  it('falls back to the one name an order placed without an Arabic one carries', () => {
    const { pickupPointAr: _ignored, ...older } = ready;
    expect(renderFoodReady(older, 'سارة', 'ar').body).toContain('Poolside café counter');
  });

  it("links an order during the visit to its own page (a pre-order's message opens its booking)", () => {
    const links = linksUnder('https://hub.venue.test/');
    expect(links.foodOrder?.('fo_1')).toBe('https://hub.venue.test/food-orders/fo_1');
    expect(links.booking('b 1')).toBe('https://hub.venue.test/bookings/b%201');
  });
});
