import { useId } from 'react';
import { containerImages } from '../../api/containers';
import { Loaded, useResource } from '../../components/resource';

/**
 * The image of a new container, from the Worker's allow-list; one its LXD lacks is shown but not offered.
 * `''` is the default image, so a form sent before the list arrives still names an allowed one.
 */
export function ImageChoice({ value, set }: { value: string; set: (image: string) => void }) {
  const id = useId();
  const images = useResource(containerImages, 'container-images');
  return (
    <div className="field">
      <label htmlFor={id}>Image</label>
      <select id={id} value={value} onChange={(event) => set(event.target.value)}>
        <option value="">{images.state === 'ready' ? `${images.data.default} (default)` : 'Default'}</option>
        {images.state === 'ready' &&
          images.data.images
            .filter(({ alias }) => alias !== images.data.default)
            .map(({ alias, available }) => (
              <option key={alias} value={alias} disabled={!available}>
                {available ? alias : `${alias} (not on this host yet)`}
              </option>
            ))}
      </select>
      {images.state === 'failed' && <Loaded resource={images}>{() => null}</Loaded>}
    </div>
  );
}
