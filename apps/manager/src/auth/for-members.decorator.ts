import { SetMetadata } from '@nestjs/common';

export const FOR_MEMBERS = 'testausdeploy:for-members';

/** Opens a route to members as well as admins; the route itself limits a member to what they own. */
export const ForMembers = () => SetMetadata(FOR_MEMBERS, true);
