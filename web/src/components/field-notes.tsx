/**
 * The help and the error under a field's label, with the ids its input names in
 * `aria-describedby` (`${id}-help`, `${id}-error`; see `describedBy`).
 */
export function FieldNotes({ id, help, error, errorPrefix }: { id: string; help?: string; error?: string; errorPrefix?: string }) {
  return (
    <>
      {help ? (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      {error ? (
        <p class="field-error-text" id={`${id}-error`}>
          {errorPrefix ? <span class="visually-hidden">{errorPrefix}: </span> : null}
          {error}
        </p>
      ) : null}
    </>
  );
}

/** The `aria-describedby` of a field's input: its help and its error, when it has them. */
export const describedBy = (id: string, help?: string, error?: string) => [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
