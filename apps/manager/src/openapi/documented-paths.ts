/** The paths of an OpenAPI document, to find which one a request's path is. */
export class DocumentedPaths {
  private readonly paths: { template: string; pattern: RegExp; parameters: number }[];

  constructor(templates: string[]) {
    this.paths = templates.map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      parameters: template.split('{').length - 1,
    }));
  }

  /**
   * The templates `path` is (each `{name}` one segment), of those it matches the ones with the fewest parameters:
   * `/deployments/locks` is that path, not `/deployments/{id}`. Empty when it is none of them.
   */
  match(path: string): string[] {
    const candidates = this.paths.filter(({ pattern }) => pattern.test(path));
    const fewest = Math.min(...candidates.map(({ parameters }) => parameters));
    return candidates.filter(({ parameters }) => parameters === fewest).map(({ template }) => template);
  }
}
