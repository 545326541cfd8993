import { PROJECT_TOPICS, TOPICS, type Topic } from '../../api/notifications';

/** Check boxes for a channel's topics: a project's channel is offered its project's topics only. */
export function TopicChoice({
  forProject,
  chosen,
  set,
}: {
  forProject: boolean;
  chosen: Topic[];
  set: (topics: Topic[]) => void;
}) {
  const offered = forProject ? PROJECT_TOPICS : (Object.keys(TOPICS) as Topic[]);
  return (
    <fieldset className="rule">
      <legend>Tell it when</legend>
      {offered.map((topic) => (
        <label key={topic} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(topic)}
            onChange={(event) =>
              set(event.target.checked ? [...chosen, topic] : chosen.filter((one) => one !== topic))
            }
          />{' '}
          {TOPICS[topic]} <span className="muted mono">{topic}</span>
        </label>
      ))}
    </fieldset>
  );
}
