import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'testausdeploy:public';

/** Opens a route to callers without a token; everything else requires one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
