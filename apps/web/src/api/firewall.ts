import { answer, api } from './client';

export type Firewall = Awaited<ReturnType<typeof getFirewall>>;

export const getFirewall = () => answer(api.GET('/firewall'));
export const syncFirewall = () => answer(api.POST('/firewall/sync'));
