import { Controller, Get } from '@nestjs/common';
import { ManagerConfig } from '../config/manager-config';
import { ForMembers } from '../auth/for-members.decorator';
import { WorkerContainers } from './worker-containers';

/** What a container may be made from: the Worker's allow-list, and the image a request naming none gets. */
export interface ContainerImages {
  default: string;
  images: { alias: string; available: boolean }[];
}

/** `GET /container-images`, for the create form's choice (the Worker still checks the image it is sent). */
@Controller('container-images')
@ForMembers()
export class ContainerImagesController {
  constructor(
    private readonly worker: WorkerContainers,
    private readonly config: ManagerConfig,
  ) {}

  @Get()
  async list(): Promise<ContainerImages> {
    const { images } = await this.worker.ask('containerImages', {});
    return { default: this.config.CONTAINER_IMAGE, images };
  }
}
