import { createContext, useContext } from 'react';
import type { WindowSession } from './session';

export const SessionContext = createContext<WindowSession | null>(null);

export function useSession(): WindowSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionContext');
  return s;
}
