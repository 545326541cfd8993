import { Controller, Get } from '@nestjs/common';
import { SERVICE_VERSION } from '@testausdeploy/service';
import { Public } from '../auth/public.decorator';
import { openApiDocument } from './openapi.document';

@Controller('openapi.json')
export class OpenApiController {
  private readonly document = openApiDocument(SERVICE_VERSION);

  @Public()
  @Get()
  get() {
    return this.document;
  }
}
