import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { EventName, EventPayload, MethodName, ParamsOf, ResultOf, SystemInfo } from '../../../electron/contract/index.js';
import type { ApiClient, CallResult } from '../api/client.js';

const ApiContext = createContext<ApiClient | undefined>(undefined);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}

/** Calls a method once on mount (and when `deps` change); `undefined` while waiting. */
export function useCall<M extends MethodName>(method: M, params: ParamsOf<M>, deps: readonly unknown[] = []): CallResult<M> | undefined {
  const api = useApi();
  const [result, setResult] = useState<CallResult<M>>();
  useEffect(() => {
    let live = true;
    void api.call(method, params).then((r) => {
      if (live) setResult(r);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- params are compared through `deps`
  }, [api, method, ...deps]);
  return result;
}

export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const api = useApi();
  useEffect(() => api.on(event, listener), [api, event, listener]);
}

const InfoContext = createContext<SystemInfo | undefined>(undefined);
export const InfoProvider = InfoContext.Provider;

/** Hall and terminal facts, loaded once at start. */
export function useHostInfo(): SystemInfo {
  const info = useContext(InfoContext);
  if (!info) throw new Error('useHostInfo before the host answered');
  return info;
}

export type { ResultOf };
