/** A test client of the engine that records the live samples and connection states it is sent. */
import type { ConnectionStatus, EventName, EventPayload, LiveSamples } from '../shared/contract';

export function recordingClient() {
  const samples: LiveSamples[] = [];
  const states: ConnectionStatus[] = [];
  return {
    samples,
    states,
    client: {
      emit<E extends EventName>(event: E, payload: EventPayload<E>) {
        if (event === 'live.samples') samples.push(payload as LiveSamples);
        if (event === 'connection.state') states.push(payload as ConnectionStatus);
      },
      busy: () => false,
    },
  };
}
