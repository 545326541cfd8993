import { NestFactory } from '@nestjs/core';
import { ManagerConfig } from '../config/manager-config';
import { KeyVault } from '../keys/key-vault';
import { MasterKeys } from '../keys/master-key';
import { ManagerModule } from '../manager.module';

/**
 * `main.js rotate-master-key`: with MASTER_KEY_FILE naming the new key and MASTER_KEY_PREVIOUS_FILE the old one,
 * and every Manager stopped, wraps every data key the old key wraps with the new one (what a start with those
 * settings does, before it serves anything), says how many it rewrapped, and stops. Then start the Manager with
 * the new key alone.
 */
export async function rotateMasterKeyCommand(config: ManagerConfig): Promise<void> {
  if (!config.MASTER_KEY_PREVIOUS_FILE) {
    throw new Error(
      'rotate-master-key needs MASTER_KEY_PREVIOUS_FILE (the key now in use) and MASTER_KEY_FILE (the new one): ' +
        'see docs/secrets.md',
    );
  }
  const app = await NestFactory.createApplicationContext(ManagerModule.forRoot(config), { logger: false });
  try {
    await app.init();
    const { current } = app.get(MasterKeys);
    const entries = await app.get(KeyVault).all();
    const others = entries.filter(({ wrapped }) => wrapped.key !== current.id).length;
    console.log(
      `${entries.length - others} data key(s) wrapped by master key ${current.id}` +
        (others > 0 ? `, ${others} by another` : '') +
        ': start the Manager with MASTER_KEY_FILE alone now (remove MASTER_KEY_PREVIOUS_FILE)',
    );
  } finally {
    await app.close();
  }
}
