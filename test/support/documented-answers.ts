import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DocumentedPaths } from '../../apps/manager/src/openapi/documented-paths';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
type Paths = Record<string, Record<string, Operation>>;

/**
 * Holds every answer a test gets against the OpenAPI document the Manager serves: the status must be documented
 * for the operation, and a JSON body must match the documented schema. Used by System.call, so every end-to-end
 * test checks the document against real answers, including those only a real Worker gives.
 */
export class DocumentedAnswers {
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: DocumentedPaths;

  private constructor(private readonly paths: Paths) {
    this.templates = new DocumentedPaths(Object.keys(paths));
  }

  static async of(api: string): Promise<DocumentedAnswers> {
    const document = (await (await fetch(`${api}/openapi.json`)).json()) as { paths: Paths };
    return new DocumentedAnswers(document.paths);
  }

  /** Throws, naming the operation and what is wrong, unless the answer is one the document describes. */
  check(method: string, url: string, status: number, body: unknown): void {
    const path = url.split('?')[0];
    const operation = this.templates
      .match(path)
      .map((template) => ({ template, operation: this.paths[template][method.toLowerCase()] }))
      .find(({ operation }) => operation);
    if (!operation) {
      if (status === 404 || status === 405) return; // no such route: the router's answer
      throw new Error(`${method} ${path} is not in the OpenAPI document, yet answered ${status}`);
    }
    const name = `${method} ${operation.template}`;
    const answer = operation.operation.responses[String(status)];
    if (!answer) throw new Error(`${name} answered ${status}, which the document does not list`);
    const schema = answer.content?.['application/json']?.schema;
    if (!schema || body === null) return;
    const key = `${name} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) this.validators.set(key, (validate = this.ajv.compile(schema)));
    if (!validate(body)) {
      throw new Error(
        `${name} answered ${status} with a body the document does not describe: ` +
          `${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`,
      );
    }
  }
}
