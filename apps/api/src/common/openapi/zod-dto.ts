import { createZodDto as createNestZodDto } from 'nestjs-zod';
import { toOpenApi30 } from './openapi-30';

/**
 * nestjs-zod's `createZodDto`, with the DTO's properties described in OpenAPI 3.0 terms before Nest's document
 * builder reads them: it takes a property's `type: ['string', 'null']` for an array of strings.
 */
export const createZodDto = ((...args: Parameters<typeof createNestZodDto>) => {
  const dto = createNestZodDto(...args) as unknown as { _OPENAPI_METADATA_FACTORY: () => Record<string, unknown> };
  const properties = dto._OPENAPI_METADATA_FACTORY.bind(dto);
  dto._OPENAPI_METADATA_FACTORY = () => toOpenApi30(properties());
  return dto;
}) as typeof createNestZodDto;
