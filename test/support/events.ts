import scheduled from "../fixtures/config/scheduled.json";
import serviceChange from "../fixtures/config/service-change.json";
import taskDefinitionChange from "../fixtures/config/task-definition-change.json";
import oversized from "../fixtures/config/task-definition-oversized.json";

type Json = Record<string, unknown>;

/** A fixture event with its invokingEvent decoded, changed by `edit`, and encoded again. */
function withInvoking(event: Json, edit: (invoking: Json) => void, envelope: Json = {}): Json {
  const invoking = JSON.parse(String(event.invokingEvent)) as Json;
  edit(invoking);
  return { ...event, ...envelope, invokingEvent: JSON.stringify(invoking) };
}

export function taskDefinitionChangeEvent(item: Json = {}, envelope: Json = {}): Json {
  return withInvoking(
    taskDefinitionChange,
    (invoking) => {
      invoking.configurationItem = { ...(invoking.configurationItem as Json), ...item };
    },
    envelope,
  );
}

/** A service change; `configuration` is merged into the fixture's, `item` and `envelope` replace fields. */
export function serviceChangeEvent(configuration: Json = {}, item: Json = {}, envelope: Json = {}): Json {
  return withInvoking(
    serviceChange,
    (invoking) => {
      const current = invoking.configurationItem as Json;
      invoking.configurationItem = {
        ...current,
        ...item,
        // `item.configuration: null` stands for a deleted resource, which carries no configuration.
        configuration:
          item.configuration === null ? null : { ...(current.configuration as Json), ...configuration },
      };
    },
    envelope,
  );
}

export function oversizedEvent(envelope: Json = {}): Json {
  return { ...oversized, ...envelope };
}

export function scheduledEvent(envelope: Json = {}): Json {
  return { ...scheduled, ...envelope };
}
