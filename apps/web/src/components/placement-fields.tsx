import { Field } from './form';

/** Node labels as typed: separated by spaces or commas. */
export const labelsOf = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** What a request for something new says of its node, as the API takes it: a node (admins) and labels. */
export const placementOf = (node: string, labels: string) => {
  const wanted = labelsOf(labels);
  return { ...(node.trim() ? { node: node.trim() } : {}), ...(wanted.length ? { labels: wanted } : {}) };
};

/** The form fields of `placementOf`: labels for everyone, the node only for an admin. */
export function PlacementFields({
  admin,
  node,
  setNode,
  labels,
  setLabels,
}: {
  admin: boolean;
  node: string;
  setNode: (value: string) => void;
  labels: string;
  setLabels: (value: string) => void;
}) {
  return (
    <>
      <Field
        label="Node labels"
        value={labels}
        set={setLabels}
        spellCheck={false}
        hint="Only on a node with all of these (space-separated); empty: the node with the most free capacity"
      />
      {admin && (
        <Field label="Node" value={node} set={setNode} spellCheck={false} hint="Empty: chosen by rule" />
      )}
    </>
  );
}
