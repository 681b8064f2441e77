// The wallet screens' words and sizes: times left, transaction codes, state tags, grouping by
// category, and the whole-number scaling of QR codes.
import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import {
  CREDENTIAL_TYPES,
  askedContents,
  askedTypeName,
  claimValueWords,
  sharedCredentialTitle,
  groupByCategory,
  isFinalOffer,
  isOpenOffer,
  isRenewableOffer,
  minutesLeftWords,
  offerContents,
  offerStateSentence,
  offerStateTag,
  outcomeTag,
  requestStateSentence,
  spacedCode,
  timeLeftWords,
} from '../../renderer/composables/walletWords.ts';
import { pngSize, qrDisplaySize, qrScale } from '../../renderer/composables/qrImage.ts';
import { CREDENTIAL_CATEGORIES } from '../../main/staff/vocabulary.ts';

describe('time left', () => {
  it('counts minutes and seconds the way people say them', () => {
    expect(timeLeftWords(552)).toBe('9 minutes 12 seconds');
    expect(timeLeftWords(61)).toBe('1 minute 1 second');
    expect(timeLeftWords(600)).toBe('10 minutes');
    expect(timeLeftWords(45)).toBe('45 seconds');
    expect(timeLeftWords(3900)).toBe('1 hour 5 minutes');
    expect(timeLeftWords(-3)).toBe('0 seconds');
  });
  it('says only whole minutes for screen readers', () => {
    expect(minutesLeftWords(552)).toBe('9 minutes');
    expect(minutesLeftWords(540)).toBe('9 minutes');
    expect(minutesLeftWords(60)).toBe('1 minute');
    expect(minutesLeftWords(59)).toBe('less than a minute');
    expect(minutesLeftWords(0)).toBe('no time');
  });
});

describe('transaction code', () => {
  it('is spaced one character at a time', () => {
    expect(spacedCode('482917')).toBe('4 8 2 9 1 7');
    expect(spacedCode(' 48 29 ')).toBe('4 8 2 9');
  });
});

describe('offer states', () => {
  it('tells open, final and renewable offers apart', () => {
    expect(isOpenOffer('waiting')).toBe(true);
    expect(isOpenOffer('scanned')).toBe(true);
    expect(isOpenOffer('collected')).toBe(false);
    expect(isFinalOffer('collected')).toBe(false);
    expect(isFinalOffer('accepted')).toBe(true);
    expect(isRenewableOffer('accepted')).toBe(false);
    for (const state of ['expired', 'cancelled', 'failed'] as const) expect(isRenewableOffer(state)).toBe(true);
  });
  it('says what is happening in words, with the reason when there is one', () => {
    expect(offerStateTag('waiting').label).toBe('Waiting');
    expect(offerStateSentence('waiting', 'Jane', null)).toBe('Waiting for Jane to scan the QR code.');
    expect(offerStateSentence('failed', 'Jane', 'The wallet sent a proof from another key')).toBe('This offer did not work. The wallet sent a proof from another key.');
    expect(offerStateSentence('cancelled', 'Jane', 'Cancelled by Asha Patel.')).toBe('This offer was cancelled. Cancelled by Asha Patel.');
    expect(requestStateSentence('shared', 'Jane', null, 1)).toBe('Jane shared 1 credential.');
    expect(requestStateSentence('shared', 'Jane', null, 3)).toBe('Jane shared 3 credentials.');
  });
  it('names the verification outcomes as HR reads them', () => {
    expect(outcomeTag('pass').label).toBe('Verified');
    expect(outcomeTag('fail').label).toBe('Failed checks');
    expect(outcomeTag('unknown').label).toBe('Could not fully check');
  });
});

describe('what an offer holds', () => {
  it('names a few different credentials, and counts the rest', () => {
    expect(offerContents(['Identity', 'Access key'])).toBe('identity and access key');
    expect(offerContents(['DBS check'])).toBe('DBS check');
    expect(offerContents(['Core skill', 'Core skill', 'Core skill'])).toBe('3 credentials');
    expect(offerContents(['Identity', 'Access key', 'Right to work', 'DBS check'])).toBe('4 credentials');
  });
});

describe('grouping by category', () => {
  it('follows the passport’s order, by code or label, with unknown categories and Other last', () => {
    const items = [
      { name: 'a', category: 'Other' },
      { name: 'b', category: 'Health information – vaccinations and testing' },
      { name: 'c', category: 'identity' },
      { name: 'd', category: 'Employment checks' },
      { name: 'e', category: 'Something new' },
      { name: 'f', category: 'employment' },
    ];
    const groups = groupByCategory(items, (item) => item.category);
    expect(groups.map((group) => group.label)).toEqual([
      'Identity and New Starter Information',
      'Employment checks',
      'Health information – vaccinations and testing',
      'Something new',
      'Other',
    ]);
    expect(groups[1]?.items.map((item) => item.name)).toEqual(['d', 'f']);
    expect(new Set(groups.map((group) => group.key)).size).toBe(groups.length);
  });
  it('has every catalogue type in a known category', () => {
    expect(CREDENTIAL_TYPES).toHaveLength(13);
    const codes = CREDENTIAL_CATEGORIES.map((category) => category.value as string);
    for (const type of CREDENTIAL_TYPES) expect(codes).toContain(type.category);
  });
});

describe('QR code size', () => {
  it('reads the size from the PNG and shows it at a whole multiple of it', async () => {
    const text = 'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fexample.nhs.uk%2Foffers%2F1';
    const margin = 4;
    const scale = 3;
    const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;
    const dataUrl = await QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin, scale });
    const natural = (modules + 2 * margin) * scale;
    expect(pngSize(dataUrl)).toEqual({ width: natural, height: natural });
    const shown = qrDisplaySize(dataUrl, 240);
    expect(shown).not.toBeNull();
    expect(shown!.width % natural).toBe(0);
    expect(shown!.width).toBeGreaterThanOrEqual(240);
    expect(shown!.width).toBe(shown!.height);
  });
  it('never scales below the image’s own size, and only by whole numbers', () => {
    expect(qrScale({ width: 400, height: 400 })).toBe(1);
    expect(qrScale({ width: 100, height: 100 })).toBe(3);
    expect(qrScale({ width: 120, height: 120 })).toBe(2);
    expect(Number.isInteger(qrScale({ width: 37, height: 37 }))).toBe(true);
  });
  it('gives no size for anything that is not a PNG', () => {
    expect(pngSize('data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7')).toBeNull();
    expect(pngSize('not a data url')).toBeNull();
    expect(qrDisplaySize('data:image/png;base64,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
  });
});

describe('naming credentials and their claims', () => {
  it('writes ISO dates, times and months as UK dates, and true and false as Yes and No; anything else as it came', () => {
    expect(claimValueWords('2025-03-01')).toBe('1 March 2025');
    expect(claimValueWords('2026-11-20T10:00:00.000Z')).toBe('20 November 2026 at 10:00');
    expect(claimValueWords('2021-05')).toBe('May 2021');
    expect(claimValueWords('2025-02-30')).toBe('2025-02-30');
    expect(claimValueWords('2025-02-30T10:00:00Z')).toBe('2025-02-30T10:00:00Z');
    expect(claimValueWords('true')).toBe('Yes');
    expect(claimValueWords('false')).toBe('No');
    expect(claimValueWords('Level 2')).toBe('Level 2');
  });

  it('asks for types a person may hold several of in the plural, and says how many kinds past three', () => {
    expect(askedTypeName('core-skill', 'Core skill')).toBe('Core skills');
    expect(askedTypeName('identity', 'Identity')).toBe('Identity');
    expect(askedContents([{ typeId: 'core-skill', displayName: 'Core skill' }], true)).toBe('their core skills');
    expect(askedContents([{ typeId: 'identity', displayName: 'Identity' }, { typeId: 'vaccination', displayName: 'Vaccination' }])).toBe('identity and vaccinations');
    expect(askedContents(['identity', 'core-skill', 'vaccination', 'observation'].map((typeId) => ({ typeId, displayName: typeId })))).toBe('4 kinds of credential');
  });

  it('heads a shared credential with what it is about when that says more than its type', () => {
    expect(sharedCredentialTitle({ displayName: 'Core skill', about: 'Fire Safety \u2013 level 1' })).toBe('Core skill: Fire Safety \u2013 level 1');
    expect(sharedCredentialTitle({ displayName: 'Identity', about: 'Identity' })).toBe('Identity');
  });
});
