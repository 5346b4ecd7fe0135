// A text field of a step with a variable picker beside it: picking "Contact · name" writes
// {{contact.name}} where the cursor was. A reference the catalogue does not know is named below.
import { Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { createContext, useContext, useRef } from "react";
import { useTranslation } from "react-i18next";
import { type Variable, groupVariables, insertVariable, unknownReferences } from "./variables";

/** The variables a step may use: the server's catalogue and the definition's own `vars.*`. */
export const VariablesContext = createContext<Variable[]>([]);

export function useCatalogue(): Variable[] {
  return useContext(VariablesContext);
}

interface VariableTextProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  multiline?: boolean;
  error?: string | null;
  required?: boolean;
  placeholder?: string;
  readOnly?: boolean;
}

export function VariableText({ label, value, onChange, multiline = false, error, required, placeholder, readOnly }: VariableTextProps) {
  const { t } = useTranslation();
  const catalogue = useCatalogue();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const unknown = unknownReferences(value, catalogue);
  const pick = (key: string | null) => {
    if (!key) return;
    const input = field.current;
    const start = input?.selectionStart ?? value.length;
    const end = input?.selectionEnd ?? value.length;
    const inserted = insertVariable(value, start, end, key);
    onChange(inserted.text);
    window.setTimeout(() => {
      input?.focus();
      input?.setSelectionRange(inserted.cursor, inserted.cursor);
    }, 0);
  };
  const common = {
    label,
    value,
    required,
    placeholder,
    readOnly,
    error: error ?? undefined,
    onChange: (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value),
  };
  return (
    <Stack gap={4}>
      {multiline ? <Textarea ref={field} autosize minRows={2} maxRows={8} {...common} /> : <TextInput ref={field} {...common} />}
      {!readOnly && (
        <Select
          size="xs"
          aria-label={t("workflows.variables.insertInto", { field: label })}
          placeholder={t("workflows.variables.insert")}
          data={groupVariables(catalogue)}
          searchable
          value={null}
          onChange={pick}
          comboboxProps={{ withinPortal: true }}
          nothingFoundMessage={t("workflows.variables.none")}
        />
      )}
      {unknown.length > 0 && (
        <Text size="xs" c="orange.8">
          {t("workflows.variables.unknown", { names: unknown.map((k) => `{{${k}}}`).join(", ") })}
        </Text>
      )}
    </Stack>
  );
}
