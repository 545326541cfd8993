import { useId } from 'react';
import { containerImages, type ContainerImages } from '../../api/containers';
import { Loaded, useResource } from '../../components/resource';

/** The default image's name, and why a container made from it would be refused where that is known. */
function defaultLabel({ default: image, images }: ContainerImages): string {
  const allowed = images.find(({ alias }) => alias === image);
  if (!allowed) return `${image} (default, not allowed by the Worker)`;
  return allowed.available ? `${image} (default)` : `${image} (default, not on this host yet)`;
}

/**
 * The image of a new container, from the Worker's allow-list; one its LXD lacks is shown but not offered.
 * `''` is the default image (the Manager's `CONTAINER_IMAGE`); its label says when the Worker would refuse it.
 */
export function ImageChoice({ value, set }: { value: string; set: (image: string) => void }) {
  const id = useId();
  const images = useResource(containerImages, 'container-images');
  return (
    <div className="field">
      <label htmlFor={id}>Image</label>
      <select id={id} value={value} onChange={(event) => set(event.target.value)}>
        <option value="">{images.state === 'ready' ? defaultLabel(images.data) : 'Default'}</option>
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
