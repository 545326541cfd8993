import { answer, api } from './client';

export type Stats = Awaited<ReturnType<typeof getStats>>;

export const getStats = () => answer(api.GET('/stats'));
