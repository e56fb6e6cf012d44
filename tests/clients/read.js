// Read a reference file with citation-js and print what it read as CSL-JSON on stdout.
// Usage: node read.js bibtex|ris|csl-json FILE
// Anything citation-js logs as a warning or error goes to stderr, one line each.
'use strict'
const fs = require('fs')
const { Cite, logger } = require('@citation-js/core')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-ris')
require('@citation-js/plugin-csl')

const INPUT_TYPES = { bibtex: '@biblatex/text', ris: '@ris/file', 'csl-json': '@csl/list+object' }
const [format, path] = process.argv.slice(2)
if (!(format in INPUT_TYPES) || !path) {
  process.stderr.write('usage: node read.js bibtex|ris|csl-json FILE\n')
  process.exit(2)
}
logger.level = 'warn'
const text = fs.readFileSync(path, 'utf8')
const input = format === 'csl-json' ? JSON.parse(text) : text
const cite = new Cite(input, { forceType: INPUT_TYPES[format] })
process.stdout.write(JSON.stringify(cite.data, null, 1) + '\n')
