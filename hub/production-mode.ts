/**
 * Production mode (HUB_MODE=production, the default when NODE_ENV=production): the conveniences
 * that make `npm start` work from an empty environment are each a hole on a hub the public reaches,
 * so in production a node refuses to start with any of them unless the operator allows it by name.
 *
 *   demo data            SEED_DEMO=true            demo venue and a super_admin token on the console  ALLOW_DEMO_DATA=true
 *   generated keys       JWT_/TICKET_PRIVATE_KEYS,  per-node keys under DATA_DIR that other nodes     ALLOW_GENERATED_KEYS=true
 *                        ACCOUNT_PEPPER, VAPID_*    neither share nor trust, lost with the container
 *   local mailbox        no SMTP_URL                sign-in codes and tickets kept, never delivered    ALLOW_LOCAL_MAILBOX=true
 *   simulated gateway    PAYMENT_PROVIDER=simulated test cards "pay" for real tickets               ALLOW_SIMULATED_PAYMENTS=true
 *
 * The page that shows the local mailbox (DEV_MAILBOX) is never allowed in production (hub/config.ts).
 */
import type { Config } from './config.js';

/** Which process reads the configuration: a hub node serves people; a worker only runs actors. */
export type ProcessRole = 'hub' | 'worker';

type ModeSettings = Pick<
  Config,
  | 'SEED_DEMO'
  | 'ALLOW_DEMO_DATA'
  | 'ALLOW_GENERATED_KEYS'
  | 'ALLOW_LOCAL_MAILBOX'
  | 'ALLOW_SIMULATED_PAYMENTS'
  | 'JWT_PRIVATE_KEYS'
  | 'TICKET_PRIVATE_KEYS'
  | 'ACCOUNT_PEPPER'
  | 'VAPID_PUBLIC_KEY'
  | 'PAYMENT_PROVIDER'
  | 'PAYMENT_WEBHOOK_SECRET'
  | 'SMTP_URL'
>;

/**
 * Why this configuration may not run in production, one line per setting, each naming the setting
 * that fixes it and the one that allows it anyway. Empty when it may.
 */
export function productionProblems(config: ModeSettings, role: ProcessRole): string[] {
  const problems: string[] = [];
  if (role === 'hub' && config.SEED_DEMO && !config.ALLOW_DEMO_DATA) {
    problems.push(
      'SEED_DEMO=true: production mode refuses demo data (a demo venue, demo people and a super_admin token printed on the console); ' +
        'set SEED_DEMO=false for a real venue, or ALLOW_DEMO_DATA=true to keep the demo',
    );
  }
  if (!config.ALLOW_GENERATED_KEYS) {
    const missing = generatedKeys(config, role);
    if (missing.length > 0) {
      problems.push(
        `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: production mode refuses keys generated per node under DATA_DIR/keys ` +
          '(other nodes neither share nor trust them, and a new container loses them); set them as deploy/README.md shows, ' +
          'or ALLOW_GENERATED_KEYS=true for a single node whose DATA_DIR is kept',
      );
    }
  }
  if (config.SMTP_URL === undefined && !config.ALLOW_LOCAL_MAILBOX) {
    problems.push(
      'SMTP_URL is not set: production mode refuses to keep email (sign-in codes, tickets) in the local mailbox, where nobody receives it; ' +
        'set SMTP_URL, e.g. SMTP_URL=smtps://user:pass@smtp.example.com:465, or ALLOW_LOCAL_MAILBOX=true to run without email',
    );
  }
  if (config.PAYMENT_PROVIDER === 'simulated' && !config.ALLOW_SIMULATED_PAYMENTS) {
    problems.push(
      'PAYMENT_PROVIDER=simulated: production mode refuses the simulated gateway (its test cards pay for real tickets and no money moves); ' +
        'set PAYMENT_PROVIDER=moyasar with MOYASAR_SECRET_KEY and MOYASAR_WEBHOOK_TOKEN, or ALLOW_SIMULATED_PAYMENTS=true for a trial',
    );
  }
  return problems;
}

/** The keys this process would generate for itself because they are not configured. */
function generatedKeys(config: ModeSettings, role: ProcessRole): string[] {
  const missing: string[] = [];
  // Access tokens are signed and verified by hub nodes only.
  if (role === 'hub' && config.JWT_PRIVATE_KEYS === undefined) missing.push('JWT_PRIVATE_KEYS');
  if (config.TICKET_PRIVATE_KEYS === undefined) missing.push('TICKET_PRIVATE_KEYS');
  if (config.ACCOUNT_PEPPER === undefined) missing.push('ACCOUNT_PEPPER');
  if (config.VAPID_PUBLIC_KEY === undefined) missing.push('VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY');
  if (config.PAYMENT_PROVIDER === 'simulated' && config.PAYMENT_WEBHOOK_SECRET === undefined) missing.push('PAYMENT_WEBHOOK_SECRET');
  return missing;
}
